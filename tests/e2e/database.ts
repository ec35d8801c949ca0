// Which database the browser tests' `next start` servers use, chosen by E2E_DATABASE for the whole run:
// `pglite` (the default: the embedded defaults a fresh install runs on) or `postgres` (a fresh database
// per server on the test PostgreSQL server, the way a deployment with DATABASE_URL runs).
export type E2eDatabase = 'pglite' | 'postgres';

export function e2eDatabase(): E2eDatabase {
  const v = process.env.E2E_DATABASE || 'pglite';
  if (v === 'pglite' || v === 'postgres') return v;
  throw new Error(`E2E_DATABASE must be "pglite" or "postgres", not ${JSON.stringify(v)}`);
}
