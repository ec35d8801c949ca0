import { randomUUID } from 'node:crypto';
import { generateFromForm } from '@/app/actions/generate';
import { GenerateForm } from '@/components/generate-form';
import { VideoList } from '@/components/video-list';
import { getApp } from '@/lib/app';
import { capabilities } from '@/lib/videos/capabilities';

// Rendered per request: the form carries a fresh idempotency key each time, and this server's options.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const app = await getApp();
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
        <VideoList />
      </section>
    </>
  );
}
