// POST /api/admin/session - signs an operator in: checks the admin token, sets the session cookie
// DELETE /api/admin/session - signs out: ends the session on the server and clears the cookie
import { clearSessionCookie, safeEqual, sessionCookie } from '@/lib/admin/auth';
import { endSession, startSession } from '@/lib/admin/sessions';
import { readLogin } from '@/lib/admin/schemas';
import { withAdminArea } from '@/lib/api/admin';
import { clientOf } from '@/lib/api/handlers';
import { AppError } from '@/lib/errors';
import { cookieSecure } from '@/lib/http/origin';
import { enforceQuota, quotaOf } from '@/lib/limits/quota';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Both answers set a cookie, so neither may be stored by any cache, shared or not.
const noStore = { 'cache-control': 'private, no-store' };

export const POST = withAdminArea('POST /api/admin/session', async (req, { app, adminToken }) => {
  const { token } = await readLogin(req);
  // Every attempt counts, and the limit is checked before the token is: past it, even the right token
  // gets the 429, so a guesser learns nothing from the answer until the window ends.
  const limit = await enforceQuota(app.db, quotaOf(app.config, 'admin-login'), clientOf(req, app), app.now(), 'admin sign-in attempts');
  if (!safeEqual(token, adminToken)) throw new AppError('unauthorized', 'That is not the admin token.', undefined, limit);
  const cookie = sessionCookie(await startSession(app.db, adminToken, app.secret, app.now()), cookieSecure(req, app.config));
  return new Response(null, { status: 204, headers: { ...noStore, ...limit, 'set-cookie': cookie } });
});

export const DELETE = withAdminArea('DELETE /api/admin/session', async (req, { app, adminToken }) => {
  await endSession(app.db, req, adminToken, app.secret, app.now());
  return new Response(null, { status: 204, headers: { ...noStore, 'set-cookie': clearSessionCookie(cookieSecure(req, app.config)) } });
});
