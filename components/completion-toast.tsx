'use client';

interface CompletionToastProps {
  open: boolean;
  topic: string;
  onWatch: () => void;
  onDismiss: () => void;
}

/**
 * "Your video is ready": a polite notice when a video finishes while its page is open. It sits in the
 * page's flow just above the player (the page places it there), so it can never cover the picture or the
 * player's controls. The live region is always in the page so screen readers announce what appears in
 * it; it never takes the focus, and it stays until dismissed (no timer to race).
 */
export function CompletionToast({ open, topic, onWatch, onDismiss }: CompletionToastProps) {
  return (
    <div className="toast-region" role="status" aria-live="polite" aria-atomic="true">
      {open ? (
        <div className="toast">
          <svg className="toast-icon" aria-hidden="true" viewBox="0 0 20 20" width="22" height="22" fill="none"
            stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <circle cx="10" cy="10" r="8" />
            <path d="m6.5 10.3 2.4 2.4 4.6-5" />
          </svg>
          <div className="toast-text">
            <p className="toast-title">Your video is ready</p>
            <p className="toast-body" dir="auto">{topic}</p>
          </div>
          <div className="toast-actions">
            <button type="button" className="button button-primary toast-watch" onClick={onWatch}>
              Watch
            </button>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
              <svg aria-hidden="true" viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor"
                strokeWidth="2" strokeLinecap="round">
                <path d="m5 5 10 10M15 5 5 15" />
              </svg>
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
