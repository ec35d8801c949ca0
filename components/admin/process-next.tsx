'use client';

import type { ProcessNextResult } from '@/lib/admin/types';
import { ActionButton } from './action-button';
import { formatInt, shortId, stepName } from './admin-format';

export function describeProcessed(r: ProcessNextResult): string {
  const p = r.processed;
  if (!p) return 'Queue empty: no task was ready.';
  return `Task #${p.taskId} (${stepName(p.step, p.sceneIndex)}, video ${shortId(p.videoId)}): ${p.outcome} in ${formatInt(p.ms)} ms.`;
}

function Processed({ r }: { r: ProcessNextResult }) {
  const p = r.processed;
  if (!p) return <span className="muted">Queue empty: no task was ready.</span>;
  return (
    <dl className="admin-processed">
      <div><dt>Task</dt><dd>#{p.taskId}</dd></div>
      <div><dt>Video</dt><dd><code title={p.videoId}>{shortId(p.videoId)}</code></dd></div>
      <div><dt>Step</dt><dd>{stepName(p.step, p.sceneIndex)}</dd></div>
      <div><dt>Outcome</dt><dd className={p.outcome === 'completed' ? 'admin-ok' : 'admin-error'}>{p.outcome}</dd></div>
      <div><dt>Time</dt><dd>{formatInt(p.ms)} ms</dd></div>
    </dl>
  );
}

/** The manual queue trigger: claims and runs one task now, the way cron would, and shows what ran. */
export function ProcessNextButton() {
  return (
    <ActionButton<ProcessNextResult>
      label="Process next task"
      busyLabel="Processing…"
      url="/api/admin/process-next"
      primary
      describe={describeProcessed}
      render={(r) => <Processed r={r} />}
    />
  );
}
