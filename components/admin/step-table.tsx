import type { StepStat } from '@/lib/admin/types';
import { formatAge, formatInt } from './admin-format';

/** p50/p95 time per step kind over the last 24 h. */
export function StepTable({ steps }: { steps: StepStat[] }) {
  return (
    <section className="card admin-section" aria-labelledby="admin-steps">
      <h2 id="admin-steps">Step durations, last 24 h</h2>
      {steps.length === 0 ? (
        <p className="muted">No step completed in the last 24 hours.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table admin-table-compact">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Completed</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr key={s.kind}>
                  <th scope="row">{s.kind}</th>
                  <td data-label="Completed" className="admin-num">{formatInt(s.count)}</td>
                  <td data-label="p50" className="admin-num">{formatAge(s.p50Seconds)}</td>
                  <td data-label="p95" className="admin-num">{formatAge(s.p95Seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted admin-note">From a step’s start to its completion in the same invocation.</p>
    </section>
  );
}
