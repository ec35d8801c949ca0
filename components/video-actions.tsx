'use client';

import { useState } from 'react';
import { errorMessage, request } from '@/lib/swr/fetcher';
import type { VideoView } from '@/lib/videos/types';

/** Cancel while a video runs; Retry (only the steps that failed) once it failed or was cancelled. */
export function VideoActions({ video, onChange }: { video: VideoView; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canRetry = video.status === 'failed' || video.status === 'cancelled';
  const canCancel = !canRetry && video.status !== 'completed';
  if (!canRetry && !canCancel) return null;

  const act = async (action: 'retry' | 'cancel') => {
    setBusy(true);
    setError(null);
    try {
      await request(`/api/video/${video.id}/${action}`, { method: 'POST' });
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="video-actions">
      {canRetry ? (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void act('retry')}>
          {busy ? 'Resuming…' : 'Retry'}
        </button>
      ) : (
        <button type="button" className="button" disabled={busy} onClick={() => void act('cancel')}>
          {busy ? 'Cancelling…' : 'Cancel video'}
        </button>
      )}
      {canRetry ? <span className="muted">Finished scenes are kept; only what failed runs again.</span> : null}
      {error ? <p className="alert alert-warning" role="alert">{error}</p> : null}
    </div>
  );
}
