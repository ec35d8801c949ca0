// Calls route handlers the way Next.js does: a Request plus a context whose params is a Promise.
// In the API tests (tests/api/) every answer is also checked against the OpenAPI document, so a route
// that answers a status, header or body the document does not allow fails the test that saw it.
import { expect } from 'vitest';
import { OWNER_COOKIE, resolveOwner } from '@/lib/auth/owner';
import { TEST_SECRET } from './app';
import { contractChecker } from './contract';

export const BASE = 'http://localhost:3000';

/** A signed owner cookie, as a browser would hold after its first visit. */
export function ownerCookie(): { cookie: string; ownerId: string } {
  const o = resolveOwner(new Request(BASE), TEST_SECRET, false);
  const value = o.setCookie!.split(';')[0]!;
  if (!value.startsWith(`${OWNER_COOKIE}=`)) throw new Error('unexpected cookie');
  return { cookie: value, ownerId: o.id };
}

type RouteFn<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

/** Whether this test file's calls are checked against the OpenAPI document: the API tests', and any that opt in. */
let contractOptIn = false;
export function checkContract(on = true): void {
  contractOptIn = on;
}
function contractOn(): boolean {
  return contractOptIn || /[\\/]tests[\\/]api[\\/]/.test(expect.getState().testPath ?? '');
}

export async function call<P = Record<string, never>>(
  fn: RouteFn<P>,
  init: { url: string; method?: string; headers?: Record<string, string>; body?: BodyInit; params?: P },
): Promise<Response> {
  const req = new Request(new URL(init.url, BASE), { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const res = await fn(req, { params: Promise.resolve((init.params ?? {}) as P) });
  if (contractOn()) {
    const body = typeof init.body === 'string' ? init.body : undefined;
    const problems = await contractChecker().check(req.method, req.url, res.clone(), body);
    if (problems.length > 0) throw new Error(`The answer breaks the OpenAPI document:\n${problems.join('\n')}`);
  }
  return res;
}

export function postJson<P>(fn: RouteFn<P>, url: string, body: unknown, headers: Record<string, string> = {}) {
  return call(fn, {
    url, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
  });
}
