'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState, type MouseEvent } from 'react';
import { api, errorMessage, NO_STORE, unwrap } from '@/lib/swr/fetcher';
import { isTerminal } from '@/lib/swr/use-video';
import type { VideoView } from '@/lib/videos/types';
import { ShareControls } from './share-controls';

type Action = 'retry' | 'cancel' | 'delete';

/** What the page's Server Action renders the buttons again with after a refusal. */
export interface ControlFormState {
  error: string | null;
}

/** The video page's Server Action for Cancel and Retry without JavaScript (app/actions/video.ts). */
export type ControlAction = (prev: ControlFormState, data: FormData) => Promise<ControlFormState>;

const noControl: ControlAction = async () => ({ error: null });

/**
 * Cancel while a video runs; Retry (only the steps that failed) once it failed or was cancelled;
 * Delete once it is finished, after a confirmation, and then back to the home page; Share once it completed.
 * Cancel and Retry are submit buttons of a form posting to `control`, so they work before hydration and
 * without JavaScript; once hydrated, a click calls the JSON routes instead. Delete and Share need JavaScript
 * (a confirmation, the clipboard) and are hidden without it.
 */
export function VideoActions({ video, onChange, control }: { video: VideoView; onChange: () => void; control?: ControlAction }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [posted, formAction] = useActionState(control ?? noControl, { error: null });
  /** Hydrated: the click does the work, so the form is not sent. */
  const onSubmitButton = (action: Action) => (e: MouseEvent<HTMLButtonElement>) => {
    e.preventDefault();
    void act(action);
  };
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

  const shown = error ?? posted.error;
  // Without a Server Action to post to (a page that passes none), the buttons are plain buttons in a
  // plain box: a form with a client-only action would make React inline a script to replay early submits.
  const Box = control ? 'form' : 'div';
  return (
    <Box className="video-actions" {...(control ? { action: formAction } : {})}>
      {control ? <input type="hidden" name="videoId" value={video.id} /> : null}
      {canRetry ? (
        <button type={control ? 'submit' : 'button'} name="action" value="retry" className="button button-primary" disabled={busy !== null} onClick={onSubmitButton('retry')}>
          {busy === 'retry' ? 'Resuming…' : 'Retry'}
        </button>
      ) : null}
      {canCancel ? (
        <button type={control ? 'submit' : 'button'} name="action" value="cancel" className="button" disabled={busy !== null} onClick={onSubmitButton('cancel')}>
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel video'}
        </button>
      ) : null}
      {canDelete ? (
        <button type="button" className="button button-danger-outline needs-js" disabled={busy !== null} onClick={() => void act('delete')}>
          {busy === 'delete' ? 'Deleting…' : 'Delete video'}
        </button>
      ) : null}
      {canRetry ? <span className="muted">Finished scenes are kept; only what failed runs again.</span> : null}
      {video.status === 'completed' ? <div className="needs-js contents"><ShareControls videoId={video.id} topic={video.topic} /></div> : null}
      {shown ? <p className="alert alert-warning" role="alert">{shown}</p> : null}
    </Box>
  );
}
