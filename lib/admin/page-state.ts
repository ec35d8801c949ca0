// What the /admin page shows for this request: nothing (404) when the admin area is off, the login
// form, or the dashboard for a valid session cookie.
import { getApp } from '@/lib/app';
import { verifySessionValue } from './auth';
import { sessionIsLive } from './sessions';

export type AdminPageState = 'disabled' | 'signed-out' | 'signed-in';

export async function adminPageState(sessionCookie: string | undefined): Promise<AdminPageState> {
  const app = await getApp();
  const token = app.config.adminToken;
  if (!token) return 'disabled';
  const id = verifySessionValue(sessionCookie, token, app.secret, app.now());
  return id && (await sessionIsLive(app.db, id, app.now())) ? 'signed-in' : 'signed-out';
}
