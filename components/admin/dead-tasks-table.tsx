import type { DeadTask } from '@/lib/admin/types';
import { RelativeTime } from '@/components/relative-time';
import { shortId, stepName } from './admin-format';
import { RequeueDeadButton } from './video-buttons';

/** Tasks that used up their attempts or failed for good, newest first, with their last error. */
export function DeadTasksTable({ tasks, total }: { tasks: DeadTask[]; total: number }) {
  return (
    <section className="card admin-section" aria-labelledby="admin-dead">
      <div className="admin-section-head">
        <h2 id="admin-dead">Dead tasks <span className="admin-count">{total}</span></h2>
        {total > 0 ? <RequeueDeadButton /> : null}
      </div>
      {tasks.length === 0 ? (
        <p className="muted">No dead tasks.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Step</th>
                <th scope="col">Video</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">When</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.id}>
                  <td data-label="Task">#{t.id}</td>
                  <td data-label="Step">{stepName(t.kind, t.sceneIndex)}</td>
                  <td data-label="Video"><code title={t.videoId}>{shortId(t.videoId)}</code></td>
                  <td data-label="Attempts" className="admin-num">{t.attempts}</td>
                  <td data-label="Error" className="admin-error-cell">
                    {t.errorCode ? <code>{t.errorCode}</code> : null} {t.error ?? ''}
                  </td>
                  <td data-label="When"><RelativeTime iso={t.at} /></td>
                  <td data-label="Actions"><RequeueDeadButton videoId={t.videoId} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > tasks.length ? <p className="muted admin-more">Showing the newest {tasks.length} of {total}.</p> : null}
        </div>
      )}
    </section>
  );
}
