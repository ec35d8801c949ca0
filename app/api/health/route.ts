// GET /api/health - liveness; static JSON, no database
// POST /api/health - the same answer after reading a JSON body (at most 64 KB, no validation, nothing stored)
// GET is bench:http's bare baseline: the same server and runtime as the API routes, with no app state.
// POST separates what Next.js costs to take a request body from what the generate route and its
// database call add, for a by-hand comparison.
import { readJson } from '@/lib/api/body';
import { errorResponse } from '@/lib/api/respond';
import type { Body, healthSchema } from '@/lib/schemas/responses';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true } satisfies Body<typeof healthSchema>, { headers: { 'cache-control': 'no-store' } });
}

export async function POST(req: Request): Promise<Response> {
  try {
    await readJson(req);
    return GET();
  } catch (err) {
    return errorResponse(err, 'POST /api/health');
  }
}
