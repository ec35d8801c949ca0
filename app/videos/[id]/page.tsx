import Link from 'next/link';
import { VideoStatus } from '@/components/video-status';

// Everything about the video is fetched in the browser (and polled), so this page never touches the database.
// No page-level title: VideoStatus sets document.title itself, and a metadata title could race with it.
export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <nav className="back-nav" aria-label="Breadcrumb">
        <Link href="/#videos" className="back-link">
          <span aria-hidden="true">←</span> All videos
        </Link>
      </nav>
      <VideoStatus id={id} />
    </>
  );
}
