import Link from 'next/link';

/** What a video's page says when the id is none of this browser's videos: on the server (404) and after a poll. */
export function VideoNotFound() {
  return (
    <div className="card empty-state">
      <h1>Video not found</h1>
      <p>This link doesn’t match any of your videos. It may have been mistyped or deleted.</p>
      <Link className="button" href="/">Make a new video</Link>
    </div>
  );
}
