// GET /api/openapi.json - the OpenAPI 3.1 document of the public JSON API, generated from the routes' zod schemas
import { errorResponse, json } from '@/lib/api/respond';
import { openApiDocument } from '@/lib/openapi/document';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Public, like any API reference; it changes only with a deploy, so caches may keep it a few minutes.
export function GET(): Response {
  try {
    return json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
  } catch (err) {
    return errorResponse(err, 'GET /api/openapi.json');
  }
}
