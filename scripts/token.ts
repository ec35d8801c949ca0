// npm run token:create -- --credits 500 [--name ci] [--tier premium] [--owner <id>]
// npm run token:revoke -- <token-id>
// npm run token:list
// npm run token:webhook-secret -- <token-id>   (prints, and makes on first use, its owner's whsec_ secret)
// Talks to the same database as the app (DATABASE_URL, POSTGRES_URL, or the embedded one).
import { parseArgs } from 'node:util';
import { createToken, revokeToken } from '@/lib/auth/tokens';
import { loadConfig } from '@/lib/config';
import { openDb } from '@/lib/db';
import { migrate } from '@/lib/db/migrate';
import { resolveSecret } from '@/lib/secret';
import { ownerWebhookSecrets } from '@/lib/webhooks/secrets';

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { credits: { type: 'string' }, name: { type: 'string' }, tier: { type: 'string' }, owner: { type: 'string' } },
  });
  const config = loadConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    if (command === 'create') {
      const credits = Number(values.credits ?? '0');
      if (!Number.isInteger(credits) || credits < 0) throw new Error('--credits must be a whole number ≥ 0');
      const tier = values.tier === 'premium' ? 'premium' : values.tier === undefined || values.tier === 'standard' ? 'standard' : null;
      if (!tier) throw new Error('--tier must be standard or premium');
      const t = await createToken(db, { name: values.name ?? 'api', credits, tier, ownerId: values.owner, now: new Date() });
      console.log(`Token id: ${t.id}\nOwner:    ${t.ownerId}\nToken:    ${t.token}\n\nShown once; store it now. Use: Authorization: Bearer ${t.token}`);
      return 0;
    }
    if (command === 'revoke') {
      const id = positionals[0];
      if (!id) throw new Error('usage: npm run token:revoke -- <token-id>');
      const ok = await revokeToken(db, id, new Date());
      console.log(ok ? `Revoked ${id}.` : `No active token ${id}.`);
      return ok ? 0 : 1;
    }
    if (command === 'webhook-secret') {
      const id = positionals[0];
      if (!id) throw new Error('usage: npm run token:webhook-secret -- <token-id>');
      const owner = (await db.query<{ owner_id: string }>('select owner_id from api_tokens where id::text = $1::text', [id])).rows[0];
      if (!owner) throw new Error(`No token ${id}.`);
      const settings = { masterSecret: resolveSecret(config), rotationGraceMs: config.webhookRotationGraceMs };
      const s = await ownerWebhookSecrets(db, owner.owner_id, settings, new Date());
      if (!s) throw new Error(`The owner of token ${id} is missing.`);
      console.log(`Owner:          ${owner.owner_id}\nWebhook secret: ${s.current}`);
      if (s.previous) console.log(`The previous secret also signs until ${s.previous.until.toISOString()}.`);
      console.log('\nVerify deliveries with a Standard Webhooks library (README, "Verifying webhooks"). Rotate: POST /api/me/webhook-secret/rotate.');
      return 0;
    }
    if (command === 'list') {
      const r = await db.query<{ id: string; name: string; owner_id: string; balance: number; revoked_at: Date | null; last_used_at: Date | null }>(
        `select t.id, t.name, t.owner_id, o.balance, t.revoked_at, t.last_used_at
         from api_tokens t join owners o on o.id = t.owner_id order by t.created_at`,
      );
      for (const t of r.rows) {
        console.log(`${t.id}  ${t.name.padEnd(12)}  ${t.owner_id}  balance=${t.balance}  ${t.revoked_at ? 'revoked' : 'active'}`);
      }
      return 0;
    }
    throw new Error('usage: token.ts create|revoke|list|webhook-secret');
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
