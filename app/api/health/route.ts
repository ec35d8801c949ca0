// GET /api/health - liveness; static JSON, no database
// Also the bare baseline of bench:http: the same server and runtime as the API routes, no app state.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
