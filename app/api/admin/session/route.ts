// POST /api/admin/session - signs an operator in: checks the admin token, sets the session cookie
// DELETE /api/admin/session - signs out: ends the session on the server and clears the cookie
import { clearSessionCookie, safeEqual, sessionCookie } from '@/lib/admin/auth';
import { endSession, startSession } from '@/lib/admin/sessions';
import { readLogin } from '@/lib/admin/schemas';
import { withAdminArea } from '@/lib/api/admin';
import { AppError } from '@/lib/errors';
import { cookieSecure } from '@/lib/http/origin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

export const POST = withAdminArea('POST /api/admin/session', async (req, { app, adminToken }) => {
  const { token } = await readLogin(req);
  if (!safeEqual(token, adminToken)) throw new AppError('unauthorized', 'That is not the admin token.');
  const cookie = sessionCookie(await startSession(app.db, adminToken, app.secret, app.now()), cookieSecure(req, app.config));
  return new Response(null, { status: 204, headers: { ...noStore, 'set-cookie': cookie } });
});

export const DELETE = withAdminArea('DELETE /api/admin/session', async (req, { app, adminToken }) => {
  await endSession(app.db, req, adminToken, app.secret, app.now());
  return new Response(null, { status: 204, headers: { ...noStore, 'set-cookie': clearSessionCookie(cookieSecure(req, app.config)) } });
});
