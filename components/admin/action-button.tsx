'use client';

import { useState, type ReactNode } from 'react';
import { useAdminAction } from '@/lib/swr/use-admin';
import { useActionLog } from './action-log';

export interface ActionButtonProps<T> {
  label: string;
  busyLabel: string;
  url: string;
  body?: unknown;
  /** Asked inline before a destructive action runs; the action runs only on "Yes". */
  confirm?: string;
  primary?: boolean;
  /** One line saying what the action did, shown beside the button and in the action log. */
  describe: (result: T) => string;
  /** Richer inline rendering of the result, if wanted. */
  render?: (result: T) => ReactNode;
}

/** One admin action: a button, an optional inline confirmation, and the result beside it. */
export function ActionButton<T>({ label, busyLabel, url, body, confirm, primary, describe, render }: ActionButtonProps<T>) {
  const { busy, result, error, run } = useAdminAction<T>();
  const { add } = useActionLog();
  const [asking, setAsking] = useState(false);

  const go = async () => {
    setAsking(false);
    const r = await run(url, body);
    if (r.error) add({ label, message: r.error, ok: false });
    else if (r.result !== undefined) add({ label, message: describe(r.result), ok: true });
  };

  return (
    <div className="admin-action">
      {asking ? (
        <span className="admin-confirm" role="group" aria-label={`Confirm: ${label}`}>
          <span>{confirm}</span>
          <button type="button" className="button button-danger" onClick={() => void go()} autoFocus>
            Yes, {label.toLowerCase()}
          </button>
          <button type="button" className="button" onClick={() => setAsking(false)}>
            No
          </button>
        </span>
      ) : (
        <button
          type="button"
          className={`button${primary ? ' button-primary' : ''}${confirm ? ' button-danger-outline' : ''}`}
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={() => (confirm ? setAsking(true) : void go())}
        >
          {busy ? busyLabel : label}
        </button>
      )}
      <span className="admin-result" role="status" aria-live="polite">
        {error ? <span className="admin-error">{error}</span> : null}
        {!error && result !== undefined ? (render ? render(result) : describe(result)) : null}
      </span>
    </div>
  );
}
