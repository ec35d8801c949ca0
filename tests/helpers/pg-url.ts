import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server, provided by tests/helpers/global-setup.ts. */
    testDatabaseUrl: string;
  }
}

/**
 * The server on which tests create their databases: the one the global setup chose for this run
 * (TEST_DATABASE_URL, or the embedded server it started). Tests never pick a server themselves, so
 * nothing reaches a machine's own PostgreSQL unless TEST_DATABASE_URL names it.
 */
export function adminUrl(): string {
  const url = inject('testDatabaseUrl');
  if (!url) throw new Error('no test database server was provided: run the tests through vitest with a config whose globalSetup is tests/helpers/global-setup.ts');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
