// Runs inside the child process, with plain Node (its built-in type stripping, no loader hooks), next
// to a copied bundle: loads the bundle's handler (___next_launcher.cjs, named in .vc-config.json), the
// (req, res) function Vercel's Node runtime calls, and serves it on a free loopback port. Only node:
// built-ins, so nothing resolves from the project tree. Usage: node serve-bundle.mts <bundleDir> <handler>
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const bundleDir = path.resolve(process.argv[2] ?? '.');

// Vercel's runtime hands each request a waitUntil through this global; the launcher passes it to
// Next.js, whose after() needs it in minimal mode. Work is kept alive until it settles, as on Vercel.
const pending = new Set<Promise<unknown>>();
const context = {
  waitUntil(p: Promise<unknown>) {
    const tracked = Promise.resolve(p).catch((err: unknown) => console.error('[serve-bundle] waitUntil rejected', err));
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  },
};
(globalThis as Record<symbol, unknown>)[Symbol.for('@vercel/request-context')] = { get: () => context };

// The launcher chdirs into its own folder and sets NODE_ENV, as it does on Vercel.
const handler = createRequire(path.join(bundleDir, 'noop.cjs'))(`./${process.argv[3] ?? '___next_launcher.cjs'}`) as Handler;

const server = createServer((req, res) => {
  handler(req, res).catch((err: unknown) => {
    console.error('[serve-bundle] handler threw', err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // The parent waits for this exact line; the app's own logs are JSON lines.
  console.log(`serve-bundle listening on ${port}`);
});
