-- 0006: the claim walks owners in rotation order and stops at the first one with claimable work,
-- so it reads this index lazily instead of visiting every owner.
create index queue_owners_rotation on queue_owners (last_claimed_at nulls first, owner_id);
