// The simulated clients of bench:http: what each connection sends next and what it learns from each
// answer (its owner cookie, the ETags it has seen).
import { ownerCookie, type Client, type Req } from './load';
import type { StatusTarget } from './seed';

/** Scenes per generated video. */
export const SCENES = 4;

/** Server limits on creating videos, set so high that they never trip but are still checked. */
export const NO_TRIP = {
  MAX_ACTIVE_VIDEOS: '1000000000', STARTING_CREDITS: '1000000000',
  // Every bench client is one address: the per-client limits would throttle the load under test.
  ANON_GRANTS_PER_IP_PER_DAY: '0', RATE_LIMIT_GENERATE_PER_MINUTE: '0', RATE_LIMIT_ESTIMATE_PER_MINUTE: '0', RATE_LIMIT_ADMIN_LOGIN_PER_15_MINUTES: '0',
};

export const health = (): Client => ({ next: () => ({ method: 'GET', path: '/api/health' }) });
/** The bare route by POST with a generate-sized JSON body: what Next.js costs to take a body, without the route's work. */
export const healthPost = (i: number): Client => {
  let seq = 0;
  return {
    next: () => ({ method: 'POST', path: '/api/health', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: `Bench ${i}.${seq++}: how volcanoes work`, sceneCount: SCENES }) }),
  };
};

/** One owner per connection, from its first answer's Set-Cookie; a refused owner (402/429) is replaced by a fresh one. */
export function generateClients(counter: { rotations: number }) {
  return (i: number): Client => {
    let cookie: string | undefined;
    let seq = 0;
    return {
      next: (): Req => ({
        method: 'POST',
        path: '/api/video/generate',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        // Distinct bodies and no Idempotency-Key: every request creates a video.
        body: JSON.stringify({ topic: `Bench ${i}.${seq++}: how volcanoes work`, sceneCount: SCENES }),
      }),
      done: (_req, res) => {
        const c = ownerCookie(res.headers);
        if (c) cookie = c;
        if (res.status === 402 || res.status === 429) {
          cookie = undefined;
          counter.rotations++;
        }
      },
    };
  };
}

/**
 * Clients that poll the seeded videos round-robin (each starts at a different one) with their owners'
 * cookies. With `conditional`, a client sends If-None-Match with the last ETag it saw for that id, and
 * `primed` tells when every client has seen every id once: the warm-up lasts until then, so the window
 * measures steady-state polling after each client's first round.
 */
export function statusClients(targets: StatusTarget[], conditional: boolean, connections: number) {
  const all: Array<Map<string, string>> = [];
  const make = (i: number): Client => {
    const etags = new Map<string, string>();
    all.push(etags);
    let n = i;
    return {
      next: (): Req => {
        const t = targets[n++ % targets.length]!;
        const inm = conditional ? etags.get(t.id) : undefined;
        return { method: 'GET', path: `/api/video/status/${t.id}`, headers: { cookie: t.cookie, ...(inm ? { 'if-none-match': inm } : {}) } };
      },
      done: (req, res) => {
        const etag = res.headers.etag;
        if (typeof etag === 'string' && (res.status === 200 || res.status === 304)) etags.set(req.path.slice('/api/video/status/'.length), etag);
      },
    };
  };
  return { make, primed: () => all.length === connections && all.every((m) => m.size === targets.length) };
}

/** No database: withOwner (cookie check) behind proxy.ts, answering from config. One owner per connection. */
export function capabilitiesClients(i: number): Client {
  void i;
  let cookie: string | undefined;
  return {
    next: (): Req => ({ method: 'GET', path: '/api/capabilities', headers: cookie ? { cookie } : undefined }),
    done: (_req, res) => {
      cookie = ownerCookie(res.headers) ?? cookie;
    },
  };
}

/** The bare route and generate, each with a maker of fresh clients: the pair the side benches probe. */
export const BARE_AND_GENERATE: Array<[string, () => (i: number) => Client]> = [
  ['GET /api/health', () => health],
  ['POST /api/video/generate', () => generateClients({ rotations: 0 })],
];
