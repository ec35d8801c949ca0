// GET /api/files/[...key] - serves locally stored objects; private ones need a valid signed URL
import { errorResponse } from '@/lib/api/respond';
import { getApp } from '@/lib/app';
import { AppError } from '@/lib/errors';
import { serveStoredObject } from '@/lib/api/files';
import { isLocalStorage } from '@/lib/storage';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

interface RouteContext {
  params: Promise<{ key: string[] }>;
}

export async function GET(req: Request, ctx: RouteContext): Promise<Response> {
  try {
    const [{ key }, app] = await Promise.all([ctx.params, getApp()]);
    // Remote stores (Vercel Blob) hand out their own URLs; this route only fronts the local disk.
    if (!isLocalStorage(app.storage)) throw new AppError('not_found', 'File not found.');
    return await serveStoredObject(req, key.join('/'), { storage: app.storage, secret: app.secret, now: app.now });
  } catch (err) {
    return errorResponse(err, 'GET /api/files/[...key]');
  }
}

export async function HEAD(req: Request, ctx: RouteContext): Promise<Response> {
  return GET(req, ctx);
}
