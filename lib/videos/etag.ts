// The status route's validator. It is derived from the inputs of the body rather than from the body,
// so that a poll of an unchanged video can be answered 304 before the body exists.
import { createHash } from 'node:crypto';
import { terminalStatuses } from './types';
import { carriesSignedUrls, type VideoVersion } from './view';

// Bump when the status body's shape or content changes, so clients holding a tag from the previous
// deploy get the new body instead of a 304 for the old one.
const BODY_FORMAT = 'status-4';

/**
 * `version` covers the rows (see VideoState.version); `expiresAt` the signed URLs in the body, which
 * change on fixed boundaries (0 when there are none); `etaMs` the estimate, which also depends on the
 * measured step durations.
 */
export function statusEtag(version: string, expiresAt: number, etaMs: number | null): string {
  const digest = createHash('sha1').update(`${BODY_FORMAT}|${version}|${expiresAt}|${etaMs ?? '-'}`).digest('base64url');
  return `"${digest}"`;
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a W/ prefix from a proxy still matches. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}

/** The tag of a video as it stands, and the time-left estimate the body will carry with it. */
export async function tagVideo(
  /** The time-left estimate of a running video (the workflow's: lib/pipeline/eta-cache.ts estimateVideo). */
  deps: { estimate: (v: VideoVersion) => Promise<number | null> },
  v: VideoVersion,
  expiresAt: number,
): Promise<{ etag: string; etaMs: number | null }> {
  const etaMs = terminalStatuses.includes(v.status)
    ? null
    : await deps.estimate(v);
  return { etag: statusEtag(v.version, carriesSignedUrls(v) ? expiresAt : 0, etaMs), etaMs };
}
