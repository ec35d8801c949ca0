// Shared by the process-level tests: HTTP calls to a real server and readers for the rows it writes.
import type { Queryable } from '@/lib/db/types';

export interface TaskRow {
  id: string;
  video_id: string;
  kind: 'plan' | 'render' | 'compose';
  scene_index: number | null;
  status: string;
  attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
}

export interface EventRow {
  id: string;
  task_id: string | null;
  video_id: string;
  type: string;
  invocation_id: string | null;
  attempt: number | null;
  detail: Record<string, unknown> | null;
  at: Date;
}

/** POSTs a video request; returns its id and the owner cookie to read it back with. */
export async function generate(
  baseUrl: string,
  body: Record<string, unknown>,
  cookie?: string,
): Promise<{ id: string; cookie: string }> {
  const res = await fetch(`${baseUrl}/api/video/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id: string; statusUrl: string };
  if (res.status !== 202) throw new Error(`generate answered ${res.status}: ${JSON.stringify(json)}`);
  const setCookie = res.headers.get('set-cookie');
  const owner = cookie ?? setCookie?.split(';')[0];
  if (!owner?.startsWith('cf_owner=')) throw new Error(`no owner cookie in the generate response: ${setCookie}`);
  return { id: json.id, cookie: owner };
}

export async function status(baseUrl: string, id: string, cookie: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/api/video/status/${id}`, { headers: { cookie } });
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function tasksOf(q: Queryable, videoIds: string[]): Promise<TaskRow[]> {
  // Ordered by the bigint column: the output column "id" is text, and "10" sorts before "9".
  const r = await q.query<TaskRow>(
    `select id::text, video_id::text, kind, scene_index, status, attempts, locked_by, locked_until
     from tasks t where video_id = any($1::uuid[]) order by t.id`,
    [videoIds],
  );
  return r.rows;
}

export async function eventsOf(q: Queryable, videoIds: string[]): Promise<EventRow[]> {
  const r = await q.query<EventRow>(
    `select id::text, task_id::text, video_id::text, type, invocation_id, attempt, detail, at
     from task_events e where video_id = any($1::uuid[]) order by e.id`,
    [videoIds],
  );
  return r.rows;
}

/** Per task id: how many events of each type it has. */
export function countByTask(events: EventRow[]): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const e of events) {
    if (!e.task_id) continue;
    const c = m.get(e.task_id) ?? {};
    c[e.type] = (c[e.type] ?? 0) + 1;
    m.set(e.task_id, c);
  }
  return m;
}

export async function videoStatuses(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const r = await q.query<{ id: string; status: string }>('select id::text, status from videos where id = any($1::uuid[])', [ids]);
  return new Map(r.rows.map((row) => [row.id, row.status]));
}
