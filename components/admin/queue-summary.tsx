import type { AdminOverview, TaskState } from '@/lib/admin/types';
import { formatAge, formatInt, formatUsd, shortId, stepName } from './admin-format';

const states: { state: TaskState; label: string; tone?: string }[] = [
  { state: 'ready', label: 'Ready' },
  { state: 'running', label: 'Running', tone: 'info' },
  { state: 'done', label: 'Done', tone: 'success' },
  { state: 'dead', label: 'Dead', tone: 'danger' },
  { state: 'cancelled', label: 'Cancelled' },
];

function Stat({ label, value, detail, tone }: { label: string; value: string; detail?: string; tone?: string }) {
  return (
    <div className={`admin-stat${tone ? ` admin-stat-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span className="admin-stat-value">{value}</span>
        {detail ? <span className="admin-stat-detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

/** Queue depth by state, the longest wait, and the money spent. */
export function QueueSummary({ overview: o }: { overview: AdminOverview }) {
  const oldest = o.oldestReady;
  return (
    <section className="card admin-section" aria-labelledby="admin-queue">
      <h2 id="admin-queue">Queue</h2>
      <dl className="admin-stats">
        {states.map((s) => (
          <Stat key={s.state} label={s.label} value={formatInt(o.queue[s.state])} tone={o.queue[s.state] > 0 ? s.tone : undefined} />
        ))}
        <Stat
          label="Oldest ready task waiting"
          value={oldest ? formatAge(oldest.ageSeconds) : 'None'}
          detail={oldest ? `#${oldest.taskId} · ${stepName(oldest.kind, null)} · video ${shortId(oldest.videoId)}` : 'Nothing is waiting'}
        />
        <Stat
          label="Awaiting review"
          value={formatInt(o.awaitingReview.count)}
          detail={o.awaitingReview.oldestSeconds !== null ? `oldest waiting ${formatAge(o.awaitingReview.oldestSeconds)}` : 'No video is waiting for its owner'}
        />
        <Stat label="Credits spent" value={formatInt(o.spend.credits)} detail="captured for completed videos" />
        <Stat label="Estimated cost" value={formatUsd(o.spend.usd)} detail="provider usage, all time" />
      </dl>
    </section>
  );
}

/** Completed and failed tasks and videos over the last hour and day. */
export function ThroughputTable({ overview: o }: { overview: AdminOverview }) {
  const rows = [
    { label: 'Tasks', t: o.throughput.tasks },
    { label: 'Videos', t: o.throughput.videos },
  ];
  return (
    <section className="card admin-section" aria-labelledby="admin-throughput">
      <h2 id="admin-throughput">Finished</h2>
      <div className="admin-table-wrap">
        <table className="admin-table admin-table-compact">
          <thead>
            <tr>
              <th scope="col"><span className="sr-only">What</span></th>
              <th scope="col">Completed, 1 h</th>
              <th scope="col">Failed, 1 h</th>
              <th scope="col">Completed, 24 h</th>
              <th scope="col">Failed, 24 h</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ label, t }) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td data-label="Completed, 1 h" className="admin-num">{formatInt(t.hour.completed)}</td>
                <td data-label="Failed, 1 h" className="admin-num">{formatInt(t.hour.failed)}</td>
                <td data-label="Completed, 24 h" className="admin-num">{formatInt(t.day.completed)}</td>
                <td data-label="Failed, 24 h" className="admin-num">{formatInt(t.day.failed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted admin-note">A failed task is one that went dead; retried attempts are not counted.</p>
    </section>
  );
}
