import { randomUUID } from 'node:crypto';
import { generateFromForm } from '@/app/actions/generate';
import { GenerateForm } from '@/components/generate-form';
import { VideoList } from '@/components/video-list';
import { pageOwner } from '@/lib/api/server-owner';
import { getApp } from '@/lib/app';
import { capabilities } from '@/lib/videos/capabilities';
import { listVideos } from '@/lib/videos/list';
import { VIDEOS_PAGE_SIZE, type VideoPage } from '@/lib/videos/types';
import { urlSigner } from '@/lib/videos/urls';

// Rendered per request: the form carries a fresh idempotency key each time, this server's options, and
// the visitor's newest videos (what the list's first poll would fetch), so nothing waits on JavaScript.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const app = await getApp();
  const ownerId = await pageOwner(app);
  // A visitor without an owner cookie yet (the first visit) has no videos.
  const firstPage: VideoPage = ownerId
    ? await listVideos(app.db, ownerId, { limit: VIDEOS_PAGE_SIZE }, urlSigner(app.storage, app.now(), app.config.signedUrlTtlSeconds))
    : { videos: [], nextCursor: null };
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Turn any topic into a narrated video.</h1>
        <p className="lead">
          Describe it in a line or bring your own script, pick a format, and press Generate Video. We narrate it, render
          every scene and hand you an MP4 — even if you close this tab.
        </p>
      </section>
      <GenerateForm action={generateFromForm} capabilities={capabilities(app.config)} idempotencyKey={randomUUID()} />
      <section className="videos-section" aria-labelledby="videos">
        <h2 id="videos" tabIndex={-1}>
          Your videos
        </h2>
        <VideoList firstPage={firstPage} />
      </section>
    </>
  );
}
