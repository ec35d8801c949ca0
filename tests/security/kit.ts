// Shared by the security tests: calling route handlers with any Request (streamed bodies included),
// a per-table fingerprint of the database, and the checks every error answer must pass.
import { expect } from 'vitest';
import type { Queryable } from '@/lib/db/types';

export const BASE = 'http://localhost:3000';

export type Route = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;

export interface Spec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | ReadableStream<Uint8Array> | null;
  params?: Record<string, unknown>;
}

export function makeRequest(s: Spec): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: s.method ?? 'GET', headers: s.headers, body: s.body ?? null };
  if (s.body instanceof ReadableStream) init.duplex = 'half';
  return new Request(new URL(s.url, BASE), init);
}

export function send(fn: unknown, s: Spec): Promise<Response> {
  return (fn as Route)(makeRequest(s), { params: Promise.resolve((s.params ?? {}) as never) });
}

/** The tables a request could write to. */
export const TABLES = ['videos', 'scenes', 'tasks', 'task_events', 'owners', 'credit_ledger', 'api_tokens', 'webhook_events', 'usage_items', 'client_limits', 'video_shares'] as const;
export type Fingerprint = Record<string, { rows: number; md5: string }>;

/**
 * Row count and an md5 over every row's text form, per table. `except` leaves columns out of a
 * table's checksum (e.g. api_tokens.last_used_at, which a valid token touches on every request).
 */
export async function fingerprint(q: Queryable, except: Partial<Record<string, string[]>> = {}): Promise<Fingerprint> {
  const parts = TABLES.map((t) => {
    const row = except[t]?.length ? `(to_jsonb(x) - array[${except[t]!.map((c) => `'${c}'`).join(',')}]::text[])::text` : 'x::text';
    return `select '${t}' as t, count(*)::int as n, coalesce(md5(string_agg(${row}, E'\\n' order by ${row})), '') as md5 from ${t} x`;
  });
  const r = await q.query<{ t: string; n: number; md5: string }>(parts.join(' union all '));
  return Object.fromEntries(r.rows.map((row) => [row.t, { rows: row.n, md5: row.md5 }]));
}

export interface ErrorExpectation {
  status: number;
  code: string;
  /** A 422's issues must name this path (exactly). */
  field?: string;
  message?: RegExp;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** Status, code, a non-empty message, exactly the documented shape, and nothing internal leaked. */
export async function expectErrorResponse(res: Response, e: ErrorExpectation, label = ''): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, `${label} status; body: ${text.slice(0, 300)}`).toBe(e.status);
  expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control'), label).toBe('no-store');
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body), label).toEqual(['error']);
  const keys = Object.keys(body.error);
  expect(keys.slice(0, 2), label).toEqual(['code', 'message']);
  expect(keys.every((k) => ['code', 'message', 'issues'].includes(k)), `${label} keys ${keys.join(',')}`).toBe(true);
  expect(body.error.code, label).toBe(e.code);
  expect(typeof body.error.message, label).toBe('string');
  expect(body.error.message.trim().length, label).toBeGreaterThan(0);
  // An error never carries a stack, SQL or a server path.
  expect(body.error.message, label).not.toMatch(/\n\s+at |node_modules|\/work\/|select |insert |update |syntax for type/i);
  if (e.message) expect(body.error.message, label).toMatch(e.message);
  if (e.status === 422) {
    const issues = body.error.issues;
    expect(Array.isArray(issues), `${label} issues`).toBe(true);
    expect(issues!.length, label).toBeGreaterThan(0);
    for (const i of issues!) {
      expect(Object.keys(i).sort(), label).toEqual(['message', 'path']);
      expect(typeof i.path, label).toBe('string');
      expect(i.path.length, label).toBeGreaterThan(0);
      expect(typeof i.message, label).toBe('string');
      expect(i.message.trim().length, label).toBeGreaterThan(0);
    }
    if (e.field !== undefined) expect(issues!.map((i) => i.path), label).toContain(e.field);
  } else {
    expect(body.error.issues, `${label} issues only come with 422`).toBeUndefined();
  }
  return body;
}
