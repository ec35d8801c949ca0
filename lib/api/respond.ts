import { errorBody, isAppError, statusOf } from '@/lib/errors';
import { errorFields, log } from '@/lib/log';

export function json(body: unknown, init?: ResponseInit): Response {
  return Response.json(body, init);
}

/** AppErrors reach the client as they are; anything else is a bug, logged in full and answered with a generic 500. */
export function errorResponse(err: unknown, route: string): Response {
  if (isAppError(err)) {
    const status = statusOf(err);
    if (status >= 500) log.error('request failed', { route, code: err.code, ...errorFields(err) });
    else log.info('request rejected', { route, code: err.code });
    // A capacity refusal says when to come back.
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (err.code === 'too_many_active_videos' || err.code === 'rate_limited') headers['retry-after'] = '30';
    // The error's own headers win: a rate limit knows exactly when its window ends.
    Object.assign(headers, err.headers);
    return json(errorBody(err), { status, headers });
  }
  log.error('unhandled error', { route, ...errorFields(err) });
  return json(
    { error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } },
    { status: 500, headers: { 'cache-control': 'no-store' } },
  );
}
