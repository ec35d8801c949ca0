// One video as its owner sees it, with the time left and the ETag of that body: what the polling route
// answers and what the video's page renders on the server, so the two never differ.
import type { App } from '@/lib/app';
import { estimateVideo } from '@/lib/pipeline/eta-cache';
import type { Body, videoViewSchema } from '@/lib/schemas/responses';
import { tagVideo } from '@/lib/videos/etag';
import { terminalStatuses, type VideoStatus, type VideoView } from '@/lib/videos/types';
import { urlSigner } from '@/lib/videos/urls';
import { loadVideoState, loadVideoVersion, toVideoView, type VideoVersion } from '@/lib/videos/view';

export type VideoStatusBody = VideoView & { etaMs: number | null };

type Deps = Pick<App, 'db' | 'storage' | 'now' | 'config'>;

function tagging(app: Deps, id: string) {
  const sign = urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds, id);
  const etaDeps = { db: app.db, now: app.now(), concurrency: app.config.concurrency };
  return { sign, tagDeps: { estimate: (v: VideoVersion) => estimateVideo(etaDeps, v) } };
}

/** The ETag the full body would carry, computed from the video's version alone (nothing built or signed). */
export async function videoStatusTag(app: Deps, ownerId: string, id: string): Promise<string> {
  const { sign, tagDeps } = tagging(app, id);
  return (await tagVideo(tagDeps, await loadVideoVersion(app.db, ownerId, id), sign.expiresAt)).etag;
}

/** The full status body and its ETag. Throws not_found for a video that isn't this owner's. */
export async function videoStatus(app: Deps, ownerId: string, id: string): Promise<{ body: VideoStatusBody; etag: string }> {
  const { sign, tagDeps } = tagging(app, id);
  const state = await loadVideoState(app.db, ownerId, id);
  const { etag, etaMs } = await tagVideo(tagDeps, state, sign.expiresAt);
  return { body: { ...(await toVideoView(state, sign)), etaMs } satisfies Body<typeof videoViewSchema>, etag };
}

/**
 * Whether the video's page, without JavaScript, should reload itself to follow the video: while it is
 * being made; not once it has ended, nor while it waits for its owner's review (nothing changes by itself then).
 */
export function reloadsWithoutScript(status: VideoStatus): boolean {
  return !terminalStatuses.includes(status) && status !== 'awaiting_review';
}
