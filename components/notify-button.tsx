'use client';

import { useState } from 'react';
import { requestNotifyPermission, setWantsNotice, useNotifyState } from './browser-notifications';

const blocked = 'Notifications are blocked for this site. Allow them in your browser’s site settings to get one.';

/**
 * "Notify me when it's ready": a toggle. The first press asks the browser for permission (only ever from
 * this click, never on load); once allowed, the page shows a notification when the video finishes.
 */
export function NotifyButton({ videoId }: { videoId: string }) {
  const { permission, active } = useNotifyState(videoId);
  const [asking, setAsking] = useState(false);
  const [declined, setDeclined] = useState(false);
  if (permission === 'unsupported') return null;

  const toggle = async () => {
    if (active) return setWantsNotice(videoId, false);
    setDeclined(false);
    if (permission !== 'granted') {
      setAsking(true);
      const answer = await requestNotifyPermission().catch(() => 'denied' as const);
      setAsking(false);
      if (answer !== 'granted') return setDeclined(true);
    }
    setWantsNotice(videoId, true);
  };

  let message = '';
  if (asking) message = 'Your browser is asking whether Cueframe may show notifications.';
  else if (active) message = 'We’ll send a notification when it’s ready, even if this tab is in the background.';
  else if (permission === 'denied') message = blocked;
  else if (declined) message = 'Notifications weren’t allowed. You’ll still see it here when it’s ready.';

  return (
    <div className="notify">
      {permission === 'denied' ? null : (
        <button type="button" className="button notify-button" aria-pressed={active} disabled={asking}
          onClick={() => void toggle()}>
          <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor"
            strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
            {active ? (
              <path d="m5 10.5 3.2 3.2L15 7" />
            ) : (
              <path d="M10 3a4.5 4.5 0 0 0-4.5 4.5c0 4-1.8 5.5-1.8 5.5h12.6s-1.8-1.5-1.8-5.5A4.5 4.5 0 0 0 10 3ZM8.3 16a1.8 1.8 0 0 0 3.4 0" />
            )}
          </svg>
          Notify me when it’s ready
        </button>
      )}
      <p className="notify-status muted" role="status">
        {message}
      </p>
    </div>
  );
}
