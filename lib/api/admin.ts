// Wrappers for operator callers, in the pattern of lib/api/handlers.ts. The admin area fails closed:
// with ADMIN_TOKEN unset every admin route answers 404, as if it did not exist.
import { hasBearer } from '@/lib/admin/auth';
import { hasLiveSession } from '@/lib/admin/sessions';
import { getApp, type App } from '@/lib/app';
import { AppError } from '@/lib/errors';
import { crossSiteRefusal } from '@/lib/http/origin';
import { enforceQuota, quotaOf, rateLimited, spentQuota } from '@/lib/limits/quota';
import { clientOf, type RouteContext } from './handlers';
import { errorResponse } from './respond';

type Handler<P> = (req: Request, ctx: { params: P; app: App; adminToken: string }) => Promise<Response>;

function adminTokenOf(app: App): string {
  const token = app.config.adminToken;
  if (!token) throw new AppError('not_found', 'Not found.');
  return token;
}

/** The login route: the admin area must be on, but the caller need not be signed in yet. */
export function withAdminArea<P = Record<string, never>>(route: string, handler: Handler<P>) {
  return async (req: Request, rc: RouteContext<P>): Promise<Response> => {
    try {
      const app = await getApp();
      const adminToken = adminTokenOf(app);
      return await handler(req, { app, adminToken, params: await rc.params });
    } catch (err) {
      return errorResponse(err, route);
    }
  };
}

/** Operators: `Authorization: Bearer $ADMIN_TOKEN`, or the session cookie set by POST /api/admin/session. */
export function withAdmin<P = Record<string, never>>(route: string, handler: Handler<P>) {
  return withAdminArea<P>(route, async (req, ctx) => {
    const { app, adminToken } = ctx;
    // A request that sends a token is judged by it alone (and throttled when wrong); otherwise the session.
    if (req.headers.get('authorization') === null && (await hasLiveSession(app.db, req, adminToken, app.secret, app.now()))) {
      // SameSite=Strict still sends the session cookie from a same-site subdomain.
      const refusal = crossSiteRefusal(req, app.config);
      if (refusal) throw new AppError('forbidden', refusal);
    } else {
      await checkBearer(req, app, adminToken, 'Sign in to the admin area, or send Authorization: Bearer <ADMIN_TOKEN>.');
    }
    return handler(req, ctx);
  });
}

/** Metrics scrapers: `Authorization: Bearer $METRICS_TOKEN` (or ADMIN_TOKEN when unset); 404 when neither is set. */
export function withMetrics(route: string, handler: (req: Request, ctx: { app: App }) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    try {
      const app = await getApp();
      // A refused METRICS_TOKEN closes the route rather than quietly falling back to the admin token.
      const refused = app.config.refusedSecrets.includes('METRICS_TOKEN');
      const token = refused ? undefined : (app.config.metricsToken ?? app.config.adminToken);
      if (!token) throw new AppError('not_found', 'Not found.');
      await checkBearer(req, app, token, 'Missing or wrong Authorization: Bearer <METRICS_TOKEN>.');
      return await handler(req, { app });
    } catch (err) {
      return errorResponse(err, route);
    }
  };
}

/**
 * A Bearer token sent to an admin route is a guess at the token as much as a sign-in is, so wrong ones
 * count against the same admin-login limit; otherwise the sign-in throttle could be sidestepped by
 * guessing here. Past the limit every Bearer attempt gets 429, the right token too, so a guesser cannot
 * tell a hit from a miss: the counter is read before the token is compared. Right tokens are not
 * counted (scripts and scrapers use them all day), nor are requests with no Authorization header at
 * all (a dashboard polling after its session expired guesses nothing); a signed session cannot be guessed.
 */
async function checkBearer(req: Request, app: App, token: string, refusal: string): Promise<void> {
  if (req.headers.get('authorization') === null) throw new AppError('unauthorized', refusal);
  const quota = quotaOf(app.config, 'admin-login');
  const client = clientOf(req, app);
  const now = app.now();
  const spent = await spentQuota(app.db, quota, client, now);
  if (spent) throw rateLimited(quota, spent, now, 'admin sign-in attempts');
  if (hasBearer(req, token)) return;
  const limit = await enforceQuota(app.db, quota, client, now, 'admin sign-in attempts');
  throw new AppError('unauthorized', refusal, undefined, limit);
}
