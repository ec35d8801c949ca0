// A WebSocket-to-TCP bridge, the local stand-in for Neon's WebSocket proxy: @vercel/postgres's pool
// (the Neon driver) speaks the Postgres wire protocol inside binary WebSocket frames, and this pipes
// each WebSocket to its own TCP connection to a real PostgreSQL. The `?address=host:port` the driver
// asks for is ignored: every connection dials `target`.
import net from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface WsBridge {
  port: number;
  /** WebSocket connections accepted so far (proves traffic went through the bridge). */
  readonly accepted: number;
  /** Bridged connections currently open. */
  readonly open: number;
  /** Terminates every bridged connection and stops listening. */
  close(): Promise<void>;
}

const MAX_BUFFERED = 1 << 20;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export async function startWsBridge(target: { host: string; port: number }): Promise<WsBridge> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  const pairs = new Set<{ ws: WebSocket; tcp: net.Socket }>();
  let accepted = 0;

  wss.on('connection', (ws) => {
    accepted++;
    const tcp = net.connect({ host: target.host, port: target.port });
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    let pausedOn: Buffer | null = null;
    pairs.add(pair);

    // Writes before the TCP connect completes are buffered by the socket.
    ws.on('message', (data) => {
      if (!tcp.destroyed) tcp.write(toBuffer(data));
    });
    tcp.on('data', (chunk) => {
      if (ws.readyState !== ws.OPEN) return;
      // Back-pressure: stop reading from PostgreSQL while the WebSocket has a backlog, and resume
      // once the chunk that pushed it over the limit has been flushed.
      ws.send(chunk, { binary: true }, () => {
        if (pausedOn === chunk) {
          pausedOn = null;
          tcp.resume();
        }
      });
      if (ws.bufferedAmount > MAX_BUFFERED) {
        pausedOn = chunk;
        tcp.pause();
      }
    });

    // Either side closing or failing closes the other.
    ws.on('close', () => {
      pairs.delete(pair);
      tcp.destroy();
    });
    ws.on('error', () => {
      pairs.delete(pair);
      tcp.destroy();
      ws.terminate();
    });
    tcp.on('close', () => {
      pairs.delete(pair);
      if (ws.readyState === ws.OPEN) ws.close();
      else if (ws.readyState === ws.CONNECTING) ws.terminate();
    });
    tcp.on('error', () => {
      // 'close' follows and closes the WebSocket; the error itself is surfaced to the client as a closed connection.
    });
  });

  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('error', () => {});
  const address = wss.address();
  if (typeof address === 'string' || address === null) throw new Error('ws bridge: no TCP address');

  let closing: Promise<void> | null = null;
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const { ws, tcp } of pairs) {
          ws.terminate();
          tcp.destroy();
        }
        pairs.clear();
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      });
      return closing;
    },
  };
}
