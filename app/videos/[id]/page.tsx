import Link from 'next/link';
import { notFound } from 'next/navigation';
import { VideoStatus } from '@/components/video-status';
import { pageOwner } from '@/lib/api/server-owner';
import { reloadsWithoutScript, videoStatus, type VideoStatusBody } from '@/lib/api/video-status';
import { getApp } from '@/lib/app';
import { isAppError } from '@/lib/errors';
import { parseVideoId } from '@/lib/schemas/video';

// Rendered per request with the video's current state, so the page says where the video is before (and
// without) JavaScript; once hydrated, VideoStatus polls the status route for the rest.
export const dynamic = 'force-dynamic';

/** Seconds between reloads of a page without JavaScript while its video is being made. */
const NOSCRIPT_REFRESH_SECONDS = 3;

/** The video as its owner's status route would answer, or null where that route would say 404. */
async function load(rawId: string): Promise<VideoStatusBody | null> {
  try {
    const id = parseVideoId(rawId);
    const app = await getApp();
    const owner = await pageOwner(app);
    return owner ? (await videoStatus(app, owner, id)).body : null;
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') return null;
    throw err;
  }
}

// No page-level title: VideoStatus sets document.title itself, and a metadata title could race with it.
export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const video = await load(id);
  if (!video) notFound();
  return (
    <>
      {reloadsWithoutScript(video.status) ? (
        <noscript>
          <meta httpEquiv="refresh" content={String(NOSCRIPT_REFRESH_SECONDS)} />
        </noscript>
      ) : null}
      <nav className="back-nav" aria-label="Breadcrumb">
        <Link href="/#videos" className="back-link">
          <span aria-hidden="true">←</span> All videos
        </Link>
      </nav>
      <VideoStatus id={video.id} initial={video} />
    </>
  );
}
