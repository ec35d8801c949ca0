import type { RunningTask } from '@/lib/admin/types';
import { formatAge, formatLease, shortId, stepName } from './admin-format';
import { CancelVideoButton } from './video-buttons';

/** Running tasks with who holds each lease, for how long, and until when. */
export function RunningTable({ tasks }: { tasks: RunningTask[] }) {
  return (
    <section className="card admin-section" aria-labelledby="admin-running">
      <h2 id="admin-running">Running now</h2>
      {tasks.length === 0 ? (
        <p className="muted">No task is running.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Step</th>
                <th scope="col">Video</th>
                <th scope="col">Attempt</th>
                <th scope="col">Lease age</th>
                <th scope="col">Lease</th>
                <th scope="col">Invocation</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.id} className={t.leaseExpiresInSeconds <= 0 ? 'admin-row-warn' : undefined}>
                  <td data-label="Task">#{t.id}</td>
                  <td data-label="Step">{stepName(t.kind, t.sceneIndex)}</td>
                  <td data-label="Video"><code title={t.videoId}>{shortId(t.videoId)}</code></td>
                  <td data-label="Attempt" className="admin-num">{t.attempt}</td>
                  <td data-label="Lease age" className="admin-num">{formatAge(t.leaseAgeSeconds)}</td>
                  <td data-label="Lease">{formatLease(t.leaseExpiresInSeconds)}</td>
                  <td data-label="Invocation"><code className="admin-invocation" title={t.invocationId ?? ''}>{t.invocationId ?? '—'}</code></td>
                  <td data-label="Actions"><CancelVideoButton videoId={t.videoId} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
