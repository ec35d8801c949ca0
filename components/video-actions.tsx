'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, errorMessage, NO_STORE, unwrap } from '@/lib/swr/fetcher';
import { isTerminal } from '@/lib/swr/use-video';
import type { VideoView } from '@/lib/videos/types';
import { ShareControls } from './share-controls';

type Action = 'retry' | 'cancel' | 'delete';

/**
 * Cancel while a video runs; Retry (only the steps that failed) once it failed or was cancelled;
 * Delete once it is finished, after a confirmation, and then back to the home page; Share once it completed.
 */
export function VideoActions({ video, onChange }: { video: VideoView; onChange: () => void }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canRetry = video.status === 'failed' || video.status === 'cancelled';
  const canDelete = isTerminal(video.status);
  const canCancel = !canDelete;

  const act = async (action: Action) => {
    if (action === 'delete' && !window.confirm(`Delete “${video.topic}”? Its video files are removed, and this cannot be undone.`)) return;
    setBusy(action);
    setError(null);
    try {
      if (action === 'delete') {
        await unwrap(api().DELETE('/api/video/{id}', { ...NO_STORE, params: { path: { id: video.id } } }));
        router.push('/');
        router.refresh();
        return;
      }
      const path = { ...NO_STORE, params: { path: { id: video.id } } };
      if (action === 'cancel') await unwrap(api().POST('/api/video/{id}/cancel', path));
      else await unwrap(api().POST('/api/video/{id}/retry', path));
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="video-actions">
      {canRetry ? (
        <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void act('retry')}>
          {busy === 'retry' ? 'Resuming…' : 'Retry'}
        </button>
      ) : null}
      {canCancel ? (
        <button type="button" className="button" disabled={busy !== null} onClick={() => void act('cancel')}>
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel video'}
        </button>
      ) : null}
      {canDelete ? (
        <button type="button" className="button button-danger-outline" disabled={busy !== null} onClick={() => void act('delete')}>
          {busy === 'delete' ? 'Deleting…' : 'Delete video'}
        </button>
      ) : null}
      {canRetry ? <span className="muted">Finished scenes are kept; only what failed runs again.</span> : null}
      {video.status === 'completed' ? <ShareControls videoId={video.id} topic={video.topic} /> : null}
      {error ? <p className="alert alert-warning" role="alert">{error}</p> : null}
    </div>
  );
}
