// A stand-in for Runway's developer API, served through msw so the real client and fetch run
// unchanged. It enforces what the real API enforces (key, version header, body rules) and keeps
// per-test state, so a test can count the jobs it would have paid for.
import { http, HttpResponse, type HttpHandler } from 'msw';
import { z } from 'zod';

export const RUNWAY_BASE = 'https://api.dev.runwayml.com';
export const RUNWAY_KEY = 'key_test_0123456789';
export const CLIP_HOST = 'https://clips.runway.test';
export const CLIP_BYTES = Buffer.from('not really an mp4, but bytes the test can recognise');

type Status = 'PENDING' | 'THROTTLED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

const createBody = z.object({
  model: z.literal('gen4_turbo'),
  promptImage: z.string().regex(/^(https:\/\/|data:image\/(png|jpeg|webp);base64,)/, 'must be an https URL or an image data URI'),
  promptText: z.string().max(1000).optional(),
  ratio: z.enum(['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672']),
  duration: z.union([z.literal(5), z.literal(10)]),
});
export type CreateBody = z.infer<typeof createBody>;

export interface FakeTask {
  id: string;
  body: CreateBody;
  /** GETs answered so far. */
  polls: number;
  cancelled: boolean;
}

export interface FakeRunwayOptions {
  /** Status on the 1st, 2nd, ... GET of every task; the last one repeats. */
  script?: Status[];
  failure?: string;
  failureCode?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
}

export function createFakeRunway(opts: FakeRunwayOptions = {}) {
  const script = opts.script ?? ['RUNNING', 'RUNNING', 'SUCCEEDED'];
  const tasks: FakeTask[] = [];
  const requests: SeenRequest[] = [];
  let downloads = 0;
  const find = (id: unknown) => tasks.find((t) => t.id === id);
  const notFound = () => HttpResponse.json({ error: 'Task not found' }, { status: 404 });

  // Every API call passes the same gate the real API puts first.
  const gated = (handle: (request: Request, id: unknown) => Promise<Response> | Response) =>
    async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
      requests.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers });
      if (request.headers.get('authorization') !== `Bearer ${RUNWAY_KEY}`) {
        return HttpResponse.json({ error: 'Incorrect API key provided' }, { status: 401 });
      }
      if (request.headers.get('x-runway-version') !== '2024-11-06') {
        return HttpResponse.json({ error: 'Invalid or missing X-Runway-Version header' }, { status: 400 });
      }
      return handle(request, params.id);
    };

  const handlers: HttpHandler[] = [
    http.post(`${RUNWAY_BASE}/v1/image_to_video`, gated(async (request) => {
      const parsed = createBody.safeParse(await request.json());
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path, message: `${i.path.join('.')}: ${i.message}` }));
        return HttpResponse.json({ error: 'Validation of body failed', issues }, { status: 400 });
      }
      const task: FakeTask = { id: `task-${tasks.length + 1}`, body: parsed.data, polls: 0, cancelled: false };
      tasks.push(task);
      return HttpResponse.json({ id: task.id });
    })),
    http.get(`${RUNWAY_BASE}/v1/tasks/:id`, gated((_request, id) => {
      const task = find(id);
      if (!task) return notFound();
      task.polls += 1;
      const status = task.cancelled ? 'CANCELLED' : script[Math.min(task.polls, script.length) - 1];
      return HttpResponse.json({
        id: task.id,
        status,
        ...(status === 'RUNNING' ? { progress: 0.4 } : {}),
        ...(status === 'SUCCEEDED' ? { progress: 1, output: [`${CLIP_HOST}/${task.id}.mp4`] } : {}),
        ...(status === 'FAILED' ? { failure: opts.failure ?? 'Generation failed.', failureCode: opts.failureCode ?? 'INTERNAL' } : {}),
      });
    })),
    http.delete(`${RUNWAY_BASE}/v1/tasks/:id`, gated((_request, id) => {
      const task = find(id);
      if (!task) return notFound();
      task.cancelled = true;
      return new HttpResponse(null, { status: 204 });
    })),
    http.get(`${CLIP_HOST}/:file`, ({ params }) => {
      if (!find(String(params.file).replace(/\.mp4$/, ''))) return new HttpResponse('no such clip', { status: 404 });
      downloads += 1;
      return new HttpResponse(CLIP_BYTES, { headers: { 'Content-Type': 'video/mp4' } });
    }),
  ];

  return {
    handlers,
    tasks,
    requests,
    get downloads() {
      return downloads;
    },
    count: (method: string, pathPrefix = '/v1/') => requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length,
  };
}
export type FakeRunway = ReturnType<typeof createFakeRunway>;
