'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { api, errorMessage, NO_STORE, unwrap } from '@/lib/swr/fetcher';

interface ShareState {
  url: string | null;
}

/**
 * Share a finished video: a public, read-only link anyone can open without signing in, until the owner
 * stops sharing it. Sharing again gives the same link; stopping and sharing again gives a new one.
 */
export function ShareControls({ videoId, topic }: { videoId: string; topic: string }) {
  const key = `/api/video/${videoId}/share`;
  const path = { params: { path: { id: videoId } }, ...NO_STORE };
  const { data, mutate } = useSWR<ShareState>(key, () => unwrap(api().GET('/api/video/{id}/share', path)), { revalidateOnFocus: false });
  const [busy, setBusy] = useState<'share' | 'stop' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const url = data?.url ?? null;

  const share = async () => {
    setBusy('share');
    setError(null);
    try {
      await mutate(await unwrap(api().POST('/api/video/{id}/share', path)), { revalidate: false });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const stop = async () => {
    if (!window.confirm(`Stop sharing “${topic}”? The link stops working at once, for everyone who has it.`)) return;
    setBusy('stop');
    setError(null);
    try {
      await unwrap(api().DELETE('/api/video/{id}/share', path));
      setCopied(false);
      await mutate({ url: null }, { revalidate: false });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('Couldn’t copy the link: select it and copy it yourself.');
    }
  };

  if (!url) {
    return (
      <>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void share()}>
          {busy === 'share' ? 'Making a link…' : 'Share'}
        </button>
        {error ? <p className="alert alert-warning" role="alert">{error}</p> : null}
      </>
    );
  }

  return (
    <div className="share-panel">
      <label className="field-label" htmlFor={`share-${videoId}`}>
        Public link: anyone with it can watch this video
      </label>
      <div className="share-link">
        <input id={`share-${videoId}`} type="url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          Copy link
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void stop()}>
          {busy === 'stop' ? 'Stopping…' : 'Stop sharing'}
        </button>
      </div>
      <p className="muted" role="status">{copied ? 'Link copied.' : ''}</p>
      {error ? <p className="alert alert-warning" role="alert">{error}</p> : null}
    </div>
  );
}
