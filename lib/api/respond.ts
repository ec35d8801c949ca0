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
    return json(errorBody(err), { status, headers: { 'cache-control': 'no-store' } });
  }
  log.error('unhandled error', { route, ...errorFields(err) });
  return json(
    { error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } },
    { status: 500, headers: { 'cache-control': 'no-store' } },
  );
}
