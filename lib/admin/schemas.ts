// Admin request bodies. Unknown fields are rejected, as everywhere else in the API.
import { z } from 'zod';
import { parseWith, readJson } from '@/lib/api/body';

export const loginSchema = z.strictObject({
  token: z.string().min(1, 'Enter the admin token.').max(1024),
});

export const requeueDeadSchema = z.strictObject({
  /** Only this video's dead tasks; every dead task when omitted. */
  videoId: z.uuid().optional(),
});

/** A JSON body, or `{}` when the request has none (e.g. `curl -X POST` with no data). */
async function readOptionalJson(req: Request): Promise<unknown> {
  const empty = req.body === null || req.headers.get('content-length') === '0';
  if (empty && !req.headers.get('content-type')) return {};
  return readJson(req, 4 * 1024);
}

export async function readLogin(req: Request): Promise<z.infer<typeof loginSchema>> {
  return parseWith(loginSchema, await readJson(req, 4 * 1024));
}

export async function readRequeueDead(req: Request): Promise<z.infer<typeof requeueDeadSchema>> {
  return parseWith(requeueDeadSchema, await readOptionalJson(req));
}
