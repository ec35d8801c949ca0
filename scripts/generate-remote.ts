// `npm run generate -- "topic" --server URL [--token cf_…]`: a Cueframe server makes the video. The CLI
// posts the request through the typed client, shows the status route's progress like local mode does,
// and downloads the finished MP4 to --out (or a name made from the topic, in the current directory).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCueframeClient, type CueframeClient, type operations, type Schemas } from '@/lib/client';
import { ApiError, apiErrorFrom, unwrap } from '@/lib/client/errors';
import { terminalStatuses } from '@/lib/videos/types';
import { requestFields, type CliValues } from './generate-args';
import { checkOutFile, writeOutFile } from './output-file';
import { progressLine } from './progress-line';

/** A refusal from the server (or no answer from it): reported as one line, exit code 1. */
export class RemoteRefused extends Error {}

const POLL_MS = 500;

type GenerateBody = NonNullable<operations['generateVideo']['requestBody']>['content']['application/json'];

const TOKEN_HINT = 'This server needs an API token: pass --token cf_… or set CUEFRAME_TOKEN (`npm run token:create` on the server makes one).';

/** The API's message, its field issues, and for 401/403 what to do about it. */
function refusal(err: unknown, server: string): RemoteRefused {
  if (!(err instanceof ApiError)) return new RemoteRefused(err instanceof Error ? err.message : String(err));
  if (err.status === 0) return new RemoteRefused(`Could not reach ${server}. Check the URL and that the server is running.`);
  const lines = [`${err.message} (HTTP ${err.status}, ${err.code})`, ...err.issues.map((i) => `  ${i.path}: ${i.message}`)];
  if (err.status === 401 || err.status === 403) lines.push(TOKEN_HINT);
  return new RemoteRefused(lines.join('\n'));
}

/**
 * Without a token the server treats the CLI as an anonymous visitor and names it with a signed cookie;
 * keeping that cookie for this run lets the CLI follow the video it asked for. It is not kept after.
 */
function keepOwnerCookie(api: CueframeClient): void {
  let cookie: string | undefined;
  api.use({
    onRequest({ request }) {
      if (cookie) request.headers.set('cookie', cookie);
      return request;
    },
    onResponse({ response }) {
      const set = response.headers.getSetCookie().map((c) => c.split(';')[0]!).filter(Boolean);
      if (set.length > 0) cookie = set.join('; ');
      return response;
    },
  });
}

/** Where the MP4 goes without --out: a name made from the topic and the id, in the current directory. */
export function defaultOutFile(topic: string, id: string): string {
  const slug = topic.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return path.resolve(`${slug || 'video'}-${id.slice(0, 8)}.mp4`);
}

async function download(url: URL, tmp: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new RemoteRefused(`Could not download the video from ${url.origin}.`);
  }
  if (!res.ok || !res.body) throw new RemoteRefused(`Downloading the video failed (HTTP ${res.status}).`);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), fs.createWriteStream(tmp));
}

export async function renderRemote(topic: string, values: CliValues, opts: { server: string; token?: string }): Promise<number> {
  const force = values.force === true;
  if (values.out !== undefined) await checkOutFile(values.out, force);
  const api = createCueframeClient({ baseUrl: opts.server, token: opts.token });
  if (!opts.token) keepOwnerCookie(api);

  // The options as typed; the server checks them and words any refusal.
  const body = requestFields(topic, values) as GenerateBody;
  let accepted: Schemas['GenerateAccepted'];
  try {
    const answer = await unwrap(api.POST('/api/video/generate', {
      body,
      // One key per run: were the request sent twice, the server would still make one video.
      params: { header: { 'Idempotency-Key': randomUUID() } },
    }));
    if ('videos' in answer) throw new RemoteRefused('The server answered a single request as a batch.');
    accepted = answer;
  } catch (err) {
    throw err instanceof RemoteRefused ? err : refusal(err, opts.server);
  }

  let video: Schemas['Video'] | undefined;
  let etag: string | undefined;
  let last = '';
  for (;;) {
    // The status route answers 304 to a poll that holds the current ETag: nothing has moved.
    const { data, error, response } = await api
      .GET('/api/video/status/{id}', {
        params: { path: { id: accepted.id }, header: etag ? { 'If-None-Match': etag } : {} },
      })
      .catch((err: unknown) => {
        throw refusal(new ApiError(0, 'network_error', String(err)), opts.server);
      });
    if (response.status !== 304) {
      if (!data) throw refusal(apiErrorFrom(response.status, error ?? null), opts.server);
      video = data;
      etag = response.headers.get('etag') ?? undefined;
      const line = progressLine(video.progress, video.stepLabel);
      if (line !== last) process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
      last = line;
      if (terminalStatuses.includes(video.status)) break;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (process.stdout.isTTY) process.stdout.write('\n');

  const fileUrl = video.downloadUrl ?? video.videoUrl;
  if (video.status !== 'completed' || !fileUrl) {
    throw new RemoteRefused(`Video ${video.id} ${video.status}: ${video.error?.message ?? 'the server gave no reason'}`);
  }
  // Local stores hand out paths on the server; Blob stores, absolute URLs of their own.
  const url = new URL(fileUrl, opts.server);
  const file = values.out ?? defaultOutFile(topic, video.id);
  const written = await writeOutFile(file, values.out !== undefined && force, (tmp) => download(url, tmp));
  console.log(`Done: ${written}`);
  return 0;
}
