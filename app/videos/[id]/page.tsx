import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { controlFromForm } from '@/app/actions/video';
import { VideoStatus } from '@/components/video-status';
import { videoPageTitle } from '@/components/video-title';
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

/** The video as its owner's status route would answer, or null where that route would say 404; once per request. */
const load = cache(async (rawId: string): Promise<VideoStatusBody | null> => {
  try {
    const id = parseVideoId(rawId);
    const app = await getApp();
    const owner = await pageOwner(app);
    return owner ? (await videoStatus(app, owner, id)).body : null;
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') return null;
    throw err;
  }
});

interface Props {
  params: Promise<{ id: string }>;
}

// The same title VideoStatus keeps current once hydrated: whichever of the two lands last, they agree.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const video = await load((await params).id);
  const title = video ? videoPageTitle(video, false) : null;
  return title ? { title: { absolute: title } } : {};
}

export default async function VideoPage({ params }: Props) {
  const { id } = await params;
  const video = await load(id);
  if (!video) notFound();
  return (
    <>
      {/* As markup inside <noscript>, not a React <meta>: React hoists a <meta> it renders on the client
          into <head>, where it would reload a page that has JavaScript too. Inside <noscript> the browser
          reads it only with scripting off. */}
      {reloadsWithoutScript(video.status) ? (
        <noscript dangerouslySetInnerHTML={{ __html: `<meta http-equiv="refresh" content="${NOSCRIPT_REFRESH_SECONDS}">` }} />
      ) : null}
      <nav className="back-nav" aria-label="Breadcrumb">
        <Link href="/#videos" className="back-link">
          <span aria-hidden="true">←</span> All videos
        </Link>
      </nav>
      <VideoStatus id={video.id} initial={video} control={controlFromForm} />
    </>
  );
}
