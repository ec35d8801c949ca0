import type { FailedVideo } from '@/lib/admin/types';
import { RelativeTime } from '@/components/relative-time';
import { shortId } from './admin-format';
import { RetryVideoButton } from './video-buttons';

/** Failed videos, newest first, with the error their owner sees. */
export function FailedVideosTable({ videos, total }: { videos: FailedVideo[]; total: number }) {
  return (
    <section className="card admin-section" aria-labelledby="admin-failed">
      <h2 id="admin-failed">Failed videos <span className="admin-count">{total}</span></h2>
      {videos.length === 0 ? (
        <p className="muted">No failed videos.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Video</th>
                <th scope="col">Topic</th>
                <th scope="col">Owner</th>
                <th scope="col">Error</th>
                <th scope="col">Failed</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {videos.map((v) => (
                <tr key={v.id}>
                  <td data-label="Video"><code title={v.id}>{shortId(v.id)}</code></td>
                  <td data-label="Topic" dir="auto">{v.topic}</td>
                  <td data-label="Owner"><code title={v.ownerId}>{shortId(v.ownerId.replace(/^anon_/, ''))}</code></td>
                  <td data-label="Error" className="admin-error-cell">
                    {v.errorCode ? <code>{v.errorCode}</code> : null} {v.error ?? ''}
                  </td>
                  <td data-label="Failed"><RelativeTime iso={v.at} /></td>
                  <td data-label="Actions"><RetryVideoButton videoId={v.id} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > videos.length ? <p className="muted admin-more">Showing the newest {videos.length} of {total}.</p> : null}
        </div>
      )}
    </section>
  );
}
