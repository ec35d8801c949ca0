-- version: 1
-- The credit ledger is append-only: every update or delete fails (trigger credit_ledger_no_update, 0004).
-- Taken over from migration 0004 unchanged.

create or replace function credit_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'credit_ledger is append-only';
end;
$$;
