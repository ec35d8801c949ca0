// One wrapper per kind of caller. Each resolves who is calling, runs the handler, and maps every
// error to the JSON error shape; route files only parse, call lib and respond.
import { timingSafeEqual } from 'node:crypto';
import { getApp, type App } from '@/lib/app';
import { resolveOwner } from '@/lib/auth/owner';
import { cookieSecure, crossSiteRefusal } from '@/lib/http/origin';
import { ownerForToken } from '@/lib/auth/tokens';
import { AppError } from '@/lib/errors';
import { clientKey } from '@/lib/limits/client';
import { errorResponse } from './respond';

export interface RouteContext<P> {
  params: Promise<P>;
}

type Handler<P, C> = (req: Request, ctx: C & { params: P; app: App }) => Promise<Response>;

/**
 * Browser and API callers: every request acts as one owner, and sees only that owner's videos.
 * An `Authorization: Bearer cf_…` token names the owner; otherwise the signed session cookie that
 * proxy.ts issues does (and is issued here too, for requests that bypass the proxy).
 */
export function withOwner<P = Record<string, never>>(route: string, handler: Handler<P, { ownerId: string; anonymous: boolean }>) {
  return async (req: Request, rc: RouteContext<P>): Promise<Response> => {
    try {
      const app = await getApp();
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
      if (bearer) {
        const ownerId = await ownerForToken(app.db, bearer.trim(), app.now());
        if (!ownerId) throw new AppError('unauthorized', 'This API token is not valid (unknown or revoked).');
        return await handler(req, { app, ownerId, anonymous: false, params: await rc.params });
      }
      const refusal = crossSiteRefusal(req, app.config);
      if (refusal) throw new AppError('forbidden', refusal);
      const owner = resolveOwner(req, app.secret, cookieSecure(req, app.config));
      // Anonymous: the owner row, and its starting grant, may not exist yet (lib/limits/admit.ts).
      const res = await handler(req, { app, ownerId: owner.id, anonymous: true, params: await rc.params });
      if (owner.setCookie) {
        res.headers.append('set-cookie', owner.setCookie);
        // Whatever the route chose, a response that introduces an owner is that visitor's alone.
        res.headers.set('cache-control', 'private, no-store');
      }
      return res;
    } catch (err) {
      return errorResponse(err, route);
    }
  };
}

/** The bucket a request's limits count in (lib/limits/client.ts). */
export function clientOf(req: Request, app: App): string {
  return clientKey(req.headers, app.config);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Cron, kicks and the manual trigger. With CRON_SECRET set the bearer token must match. Without one the
 * routes fail closed (503), on Vercel and under `next start` alike, since they would otherwise be open to
 * anyone; only `next dev` leaves them open.
 */
export function withCron(route: string, handler: Handler<Record<string, never>, object>) {
  return async (req: Request): Promise<Response> => {
    try {
      const app = await getApp();
      const secret = app.config.cronSecret;
      if (!secret && !app.config.cronOpenWithoutSecret) {
        throw new AppError('misconfigured', app.config.refusedSecrets.includes('CRON_SECRET')
          ? 'CRON_SECRET is too short (at least 16 characters), so this route stays closed.'
          : 'CRON_SECRET must be set for this route to run outside `next dev`.');
      }
      if (secret && !safeEqual(req.headers.get('authorization') ?? '', `Bearer ${secret}`)) {
        throw new AppError('unauthorized', 'Missing or wrong Authorization: Bearer <CRON_SECRET>.');
      }
      return await handler(req, { app, params: {} });
    } catch (err) {
      return errorResponse(err, route);
    }
  };
}
