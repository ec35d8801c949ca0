// Each owner's webhook signing secret (Standard Webhooks `whsec_…`). A receiver holding one owner's
// secret can verify that owner's deliveries and forge nothing else.
//
// The database keeps only a random salt per owner; the secret is an HMAC of the owner id and that salt
// under the app's SIGNING_SECRET. A copy of the database alone therefore cannot sign, nothing needs
// decrypting to deliver, and a rotation is a new salt. (Changing SIGNING_SECRET changes every owner's
// secret, as it already changes every signed URL and session.)
import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '@/lib/db/types';

export const SECRET_PREFIX = 'whsec_';

/** The whsec_ secret for one owner and salt: 32 key bytes, base64, as the standardwebhooks libraries expect. */
export function deriveWebhookSecret(masterSecret: string, ownerId: string, salt: string): string {
  const key = createHmac('sha256', masterSecret).update(`cueframe-webhook-secret\u0000${ownerId}\u0000${salt}`, 'utf8').digest('base64');
  return `${SECRET_PREFIX}${key}`;
}

export interface OwnerWebhookSecrets {
  /** The secret to give receivers. */
  current: string;
  /** The secret a rotation replaced, still signing until `until`; null once that has passed. */
  previous: { secret: string; until: Date } | null;
}

export interface SecretSettings {
  masterSecret: string;
  /** How long a rotated-out secret keeps signing alongside the new one. */
  rotationGraceMs: number;
}

interface Row {
  salt: string;
  previous_salt: string | null;
  rotated_at: Date | null;
}

const newSalt = () => randomBytes(18).toString('base64url');

function secretsOf(row: Row, ownerId: string, s: SecretSettings, now: Date): OwnerWebhookSecrets {
  const until = row.rotated_at ? new Date(row.rotated_at.getTime() + s.rotationGraceMs) : null;
  return {
    current: deriveWebhookSecret(s.masterSecret, ownerId, row.salt),
    previous: row.previous_salt && until && now < until
      ? { secret: deriveWebhookSecret(s.masterSecret, ownerId, row.previous_salt), until }
      : null,
  };
}

/**
 * The owner's secrets, made on first use. Null only for an owner with no owner row yet (a visitor
 * who has never generated): such an owner has nothing to be signed, and looking makes no rows.
 */
export async function ownerWebhookSecrets(db: Queryable, ownerId: string, s: SecretSettings, now: Date): Promise<OwnerWebhookSecrets | null> {
  const select = () => db.query<Row>('select salt, previous_salt, rotated_at from owner_webhook_secrets where owner_id = $1::text', [ownerId]);
  let row = (await select()).rows[0];
  if (!row) {
    // Two first uses at once both insert; the loser's salt is dropped and both read the winner's.
    await db.query(
      `insert into owner_webhook_secrets (owner_id, salt, created_at)
       select $1::text, $2::text, $3::timestamptz where exists (select 1 from owners where id = $1::text)
       on conflict (owner_id) do nothing`,
      [ownerId, newSalt(), now],
    );
    row = (await select()).rows[0];
  }
  return row ? secretsOf(row, ownerId, s, now) : null;
}

/**
 * Replaces the owner's secret. The one replaced keeps signing for the grace period so receivers can
 * switch without dropping deliveries; a secret already in its grace period stops at once.
 */
export async function rotateWebhookSecret(db: Queryable, ownerId: string, s: SecretSettings, now: Date): Promise<OwnerWebhookSecrets | null> {
  const r = await db.query<Row>(
    `insert into owner_webhook_secrets (owner_id, salt, created_at)
     select $1::text, $2::text, $3::timestamptz where exists (select 1 from owners where id = $1::text)
     on conflict (owner_id) do update
       set previous_salt = owner_webhook_secrets.salt, salt = excluded.salt, rotated_at = excluded.created_at
     returning salt, previous_salt, rotated_at`,
    [ownerId, newSalt(), now],
  );
  const row = r.rows[0];
  return row ? secretsOf(row, ownerId, s, now) : null;
}

/** What an owner is shown: the secret to verify with, and until when the rotated-out one still signs. */
export interface WebhookSecretView {
  secret: string;
  previousSecretSignsUntil: string | null;
}

export function webhookSecretView(s: OwnerWebhookSecrets): WebhookSecretView;
export function webhookSecretView(s: OwnerWebhookSecrets | null): WebhookSecretView | null;
export function webhookSecretView(s: OwnerWebhookSecrets | null): WebhookSecretView | null {
  return s && { secret: s.current, previousSecretSignsUntil: s.previous?.until.toISOString() ?? null };
}
