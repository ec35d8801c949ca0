// The app's route handlers behind a plain node:http server, in the test process: for clients that
// must speak real HTTP (the CLI's --server mode) without a `next build`. Requests are dispatched by
// path template, as Next.js would, with params as a Promise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE' | 'HEAD', unknown>>;

export interface RouteServer {
  url: string;
  /** Every request served, as `METHOD /path → status`. */
  seen: string[];
  close(): Promise<void>;
}

/** `routes` maps Next.js path templates (`/api/video/status/[id]`, `/api/files/[...key]`) to route modules. */
export async function startRouteServer(routes: Record<string, RouteModule>): Promise<RouteServer> {
  const table = Object.entries(routes).map(([template, mod]) => {
    const names: Array<{ name: string; rest: boolean }> = [];
    const source = template.replace(/\[(\.\.\.)?(\w+)\]/g, (_, rest: string | undefined, name: string) => {
      names.push({ name, rest: Boolean(rest) });
      return rest ? '(.+)' : '([^/]+)';
    });
    return { pattern: new RegExp(`^${source}$`), names, mod };
  });
  const seen: string[] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      let status = 500;
      try {
        const route = table.find((r) => r.pattern.test(url.pathname));
        const handler = route?.mod[(req.method ?? 'GET') as keyof RouteModule] as Handler | undefined;
        if (!route || !handler) {
          status = route ? 405 : 404;
          res.writeHead(status).end();
          return;
        }
        const m = route.pattern.exec(url.pathname)!;
        const params = Object.fromEntries(route.names.map(({ name, rest }, i) => {
          const raw = m[i + 1]!;
          return [name, rest ? raw.split('/').map(decodeURIComponent) : decodeURIComponent(raw)];
        }));
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        const request = new Request(url, {
          method: req.method,
          headers,
          body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
          ...(hasBody ? { duplex: 'half' } : {}),
        } as RequestInit);
        const answer = await handler(request, { params: Promise.resolve(params) });
        status = answer.status;
        const out: Record<string, string | string[]> = {};
        answer.headers.forEach((v, k) => {
          if (k !== 'set-cookie') out[k] = v;
        });
        const cookies = answer.headers.getSetCookie();
        if (cookies.length > 0) out['set-cookie'] = cookies;
        res.writeHead(answer.status, out);
        if (answer.body) await pipeline(Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream), res);
        else res.end();
      } catch (err) {
        res.writeHead(500).end(String(err));
      } finally {
        seen.push(`${req.method} ${url.pathname} → ${status}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
