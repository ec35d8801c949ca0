// GET /api/capabilities - which providers, motion engines and voices this server offers
import { withOwner } from '@/lib/api/handlers';
import { json } from '@/lib/api/respond';
import type { Body, capabilitiesSchema } from '@/lib/schemas/responses';
import { capabilities } from '@/lib/videos/capabilities';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withOwner('GET /api/capabilities', async (_req, { app }) =>
  json(capabilities(app.config) satisfies Body<typeof capabilitiesSchema>, { headers: { 'cache-control': 'private, max-age=60' } }),
);
