// One keep-alive HTTP/1.1 connection for the load generator, written on a raw socket. node:http's
// client cost the generator ~0.45 ms of CPU per request and put its event loop 7–12 ms late (p99)
// at 50% of the bare route, on the same 2 cores as the server and PostgreSQL it measures: the
// measuring process was taking CPU from the thing measured and adding its own delay to each latency.
// This sends each request in one write and parses only what the bench reads: the status, the headers
// and the body's length (Content-Length or chunked). One request at a time; no pipelining.
import type http from 'node:http';
import net from 'node:net';
import type { Req, Res } from './load';

interface Pending {
  resolve(res: Res): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** What is known of the response being read: its head once parsed, then how much body is left. */
interface Reading {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes of body still to come (Content-Length), or null when the body is chunked. */
  remaining: number | null;
  bytes: number;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class WireConnection {
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private reading: Reading | null = null;

  constructor(private readonly port: number, private readonly host = '127.0.0.1') {}

  send(r: Req, timeoutMs: number): Promise<Res> {
    if (this.pending) return Promise.reject(new Error('a request is already in flight on this connection'));
    const socket = this.socket ?? this.connect();
    const body = r.body === undefined ? null : Buffer.from(r.body);
    let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [k, v] of Object.entries(r.headers ?? {})) head += `${k}: ${v}\r\n`;
    if (body) head += `content-length: ${body.length}\r\n`;
    head += '\r\n';
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.pending = { resolve, reject, timer };
      socket.write(body ? Buffer.concat([Buffer.from(head), body]) : head);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    const socket = net.connect({ port: this.port, host: this.host, noDelay: true });
    // A socket this connection already dropped may still report; only the current one counts.
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    socket.on('error', (err) => {
      if (this.socket === socket) this.fail(err);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.fail(new Error('the server closed the connection'));
    });
    this.socket = socket;
    return socket;
  }

  /** Ends the request in flight with an error and drops the connection: its state is unknown. */
  private fail(err: Error): void {
    const p = this.pending;
    this.close();
    this.buf = Buffer.alloc(0);
    this.reading = null;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(err);
  }

  private parse(): void {
    for (;;) {
      if (!this.reading) {
        const end = this.buf.indexOf(HEAD_END);
        if (end < 0) return;
        this.reading = this.head(this.buf.toString('latin1', 0, end));
        this.buf = this.buf.subarray(end + HEAD_END.length);
      }
      const r = this.reading;
      if (r.remaining !== null) {
        const take = Math.min(r.remaining, this.buf.length);
        r.remaining -= take;
        r.bytes += take;
        this.buf = this.buf.subarray(take);
        if (r.remaining > 0) return;
        return this.finish();
      }
      // Chunked: a size line, the chunk and its CRLF; a zero-size chunk ends it (no trailers are sent).
      const eol = this.buf.indexOf(CRLF);
      if (eol < 0) return;
      const size = parseInt(this.buf.toString('latin1', 0, eol), 16);
      if (!Number.isFinite(size)) return this.fail(new Error('malformed chunk size'));
      if (size === 0) {
        if (this.buf.length < eol + 4) return;
        this.buf = this.buf.subarray(eol + 4);
        return this.finish();
      }
      if (this.buf.length < eol + 2 + size + 2) return;
      r.bytes += size;
      this.buf = this.buf.subarray(eol + 2 + size + 2);
    }
  }

  private head(text: string): Reading {
    const lines = text.split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: http.IncomingHttpHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i]!.indexOf(':');
      const name = lines[i]!.slice(0, colon).trim().toLowerCase();
      const value = lines[i]!.slice(colon + 1).trim();
      if (name === 'set-cookie') (headers['set-cookie'] ??= []).push(value);
      else headers[name] = value;
    }
    const bodiless = status === 204 || status === 304 || (status >= 100 && status < 200);
    const chunked = /\bchunked\b/i.test(String(headers['transfer-encoding'] ?? ''));
    const remaining = bodiless ? 0 : chunked ? null : Number(headers['content-length'] ?? 0);
    return { status, headers, remaining, bytes: 0 };
  }

  private finish(): void {
    const r = this.reading!;
    const p = this.pending;
    this.reading = null;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    if (String(r.headers.connection ?? '').toLowerCase() === 'close') this.close();
    p.resolve({ status: r.status, headers: r.headers, bytes: r.bytes });
  }
}
