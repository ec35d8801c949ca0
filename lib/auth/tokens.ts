// API tokens for programmatic clients. A token is shown once when created; only its SHA-256 is
// stored, so a database leak does not leak working tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '@/lib/db/types';
import { ensureOwner } from '@/lib/owners/credits';

const PREFIX = 'cf_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreatedToken {
  id: string;
  ownerId: string;
  token: string;
}

export async function createToken(
  db: Db,
  t: { name: string; credits: number; ownerId?: string; tier?: 'standard' | 'premium'; now: Date },
): Promise<CreatedToken> {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const ownerId = t.ownerId ?? `api_${id}`;
  await db.transaction(async (tx) => {
    await ensureOwner(tx, ownerId, t.credits, t.now);
    if (t.tier) await tx.query('update owners set tier = $2::text where id = $1::text', [ownerId, t.tier]);
    await tx.query(
      'insert into api_tokens (id, owner_id, name, token_hash, created_at) values ($1::uuid, $2::text, $3::text, $4::text, $5::timestamptz)',
      [id, ownerId, t.name, hashToken(token), t.now],
    );
  });
  return { id, ownerId, token };
}

export async function revokeToken(db: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await db.query('update api_tokens set revoked_at = $2::timestamptz where id = $1::uuid and revoked_at is null', [id, now]);
  return r.rowCount === 1;
}

/** The owner a bearer token acts as, or null for an unknown or revoked token. */
export async function ownerForToken(db: Queryable, token: string, now: Date): Promise<string | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const r = await db.query<{ owner_id: string }>(
    `update api_tokens set last_used_at = $2::timestamptz
     where token_hash = $1::text and revoked_at is null
     returning owner_id`,
    [hashToken(token), now],
  );
  return r.rows[0]?.owner_id ?? null;
}
