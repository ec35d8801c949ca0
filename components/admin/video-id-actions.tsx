'use client';

import { useId, useState } from 'react';
import { CancelVideoButton, RequeueDeadButton, RetryVideoButton } from './video-buttons';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any video by id: for a queued video (not in any table yet) or one an owner reported. */
export function VideoIdActions() {
  const [value, setValue] = useState('');
  const id = useId();
  const videoId = value.trim();
  const valid = UUID.test(videoId);
  return (
    <section className="card admin-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Act on a video</h2>
      <div className="field">
        <label htmlFor={id} className="field-label">Video id</label>
        <input
          id={id}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="00000000-0000-4000-8000-000000000000"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={value !== '' && !valid ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="field-hint">
          {value !== '' && !valid ? 'A video id is a UUID, like the placeholder.' : 'Works for any owner’s video.'}
        </p>
      </div>
      {valid ? (
        <div className="admin-actions" key={videoId.toLowerCase()}>
          <RetryVideoButton videoId={videoId} />
          <CancelVideoButton videoId={videoId} />
          <RequeueDeadButton videoId={videoId} />
        </div>
      ) : null}
    </section>
  );
}
