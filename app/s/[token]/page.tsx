import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { SharedPlayer } from '@/components/shared-player';
import { getApp } from '@/lib/app';
import { originOf } from '@/lib/http/origin';
import { loadSharedVideo } from '@/lib/videos/share';
import { urlSigner } from '@/lib/videos/urls';

// A share link is looked up on every request and never cached anywhere: a revoked link must answer 404
// at once, and the signed media URLs in the page expire.
export const dynamic = 'force-dynamic';
export const revalidate = 0;

interface Props {
  params: Promise<{ token: string }>;
}

/** The shared video with absolute URLs (link previews fetch og:image from elsewhere), once per request. */
const load = cache(async (token: string) => {
  const app = await getApp();
  const video = await loadSharedVideo(app.db, token, (id) => urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds, id));
  if (!video) return null;
  const origin = originOf(await headers(), new URL('http://localhost'), app.config.trustForwarded);
  const absolute = (u: string | null) => (u ? new URL(u, origin).toString() : null);
  return { ...video, videoUrl: absolute(video.videoUrl), posterUrl: absolute(video.posterUrl), captionsUrl: absolute(video.captionsUrl) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const video = await load((await params).token);
  if (!video) notFound();
  const description = 'A narrated video made with Cueframe.';
  const size = { width: video.width, height: video.height };
  return {
    title: video.topic,
    description,
    // Unlisted: whoever holds the link may watch, but search engines need not list it.
    robots: { index: false, follow: false },
    openGraph: {
      type: 'video.other',
      title: video.topic,
      description,
      siteName: 'Cueframe',
      images: video.posterUrl ? [{ url: video.posterUrl, ...size, alt: video.topic }] : undefined,
      videos: video.videoUrl ? [{ url: video.videoUrl, type: 'video/mp4', ...size }] : undefined,
    },
    twitter: {
      card: 'summary_large_image',
      title: video.topic,
      description,
      images: video.posterUrl ? [video.posterUrl] : undefined,
    },
  };
}

export default async function SharedVideoPage({ params }: Props) {
  const video = await load((await params).token);
  if (!video) notFound();
  return (
    <article className="video-status">
      <header className="video-header">
        <p className="eyebrow">Shared video</p>
        <h1 className="video-topic" dir="auto">{video.topic}</h1>
      </header>
      <SharedPlayer video={video} />
    </article>
  );
}
