import { VideoNotFound } from '@/components/video-not-found';

export default function NotFound() {
  return <VideoNotFound />;
}
