// A fake OpenAI API for tests, served by msw in this process. Create OpenAI clients only after the server
// listens: the SDK captures the global fetch when it is constructed, and msw replaces it in listen().
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { createCommand, runCommand } from '@/lib/media/ffmpeg';

export const OPENAI_API = 'https://api.openai.com/v1';
export const endpoints = {
  chat: `${OPENAI_API}/chat/completions`,
  images: `${OPENAI_API}/images/generations`,
  speech: `${OPENAI_API}/audio/speech`,
} as const;

export interface OpenAIFixtures {
  /** A 1536x1024 PNG, the size gpt-image-1 returns for landscape videos. */
  png: Buffer;
  /** 1 s of noise then 2 s of silence as bare ADTS AAC, like OpenAI's 'aac'; exactly 3 s long. */
  aac: Buffer;
}
export const FIXTURE_AUDIO_MS = 3000;

/** Real media made with ffmpeg, so the provider's own ffmpeg steps run on realistic input. */
export async function makeOpenAIFixtures(dir: string): Promise<OpenAIFixtures> {
  const png = path.join(dir, 'fixture.png');
  const aac = path.join(dir, 'fixture.aac');
  await runCommand(createCommand().input('testsrc2=s=1536x1024').inputOptions(['-f', 'lavfi'])
    .outputOptions(['-frames:v', '1', '-c:v', 'png', '-f', 'image2', '-update', '1']).output(png));
  // The silent tail makes the bitrate-based duration guess for bare ADTS wrong by half, as real speech pauses do.
  await runCommand(createCommand().input('anoisesrc=d=3:c=pink:r=24000').inputOptions(['-f', 'lavfi'])
    .outputOptions(['-af', "volume=enable='gte(t,1)':volume=0", '-c:a', 'aac', '-b:a', '64k', '-f', 'adts']).output(aac));
  return { png: await readFile(png), aac: await readFile(aac) };
}

export interface RecordedRequest {
  url: string;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A plan reply with n scenes, shaped like the provider's schema. */
export function fakePlan(n: number) {
  return {
    scenes: Array.from({ length: n }, (_, i) => ({
      narration: `Scene ${i + 1} narration. It is short.`,
      visualPrompt: `A watercolour lighthouse at dusk, view ${i + 1}`,
      targetSeconds: 4 + i,
    })),
  };
}

export function chatCompletion(
  content: string | null,
  opts: { refusal?: string; finishReason?: string; usage?: { prompt_tokens: number; completion_tokens: number } } = {},
) {
  const usage = opts.usage ?? { prompt_tokens: 321, completion_tokens: 123 };
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{
      index: 0,
      message: { role: 'assistant', content, refusal: opts.refusal ?? null },
      finish_reason: opts.finishReason ?? 'stop',
      logprobs: null,
    }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** An error body the way OpenAI sends one; the SDK picks status, code and headers from it. */
export function apiError(status: number, error: { message: string; code?: string | null; type?: string }, headers: Record<string, string> = {}) {
  return HttpResponse.json({ error: { type: 'invalid_request_error', param: null, code: null, ...error } }, { status, headers });
}

async function record(request: Request, log?: RecordedRequest[]): Promise<Record<string, unknown>> {
  const body = (await request.clone().json()) as Record<string, unknown>;
  log?.push({ url: request.url, body, headers: request.headers });
  return body;
}

// Answers with as many scenes as the request's JSON schema demands, so any sceneCount works end to end.
function requestedScenes(body: Record<string, unknown>): number {
  const format = body.response_format as { json_schema?: { schema?: { properties?: { scenes?: { minItems?: number } } } } };
  return format?.json_schema?.schema?.properties?.scenes?.minItems ?? 3;
}

export function planHandler(log?: RecordedRequest[]): HttpHandler {
  return http.post(endpoints.chat, async ({ request }) => {
    const body = await record(request, log);
    return HttpResponse.json(chatCompletion(JSON.stringify(fakePlan(requestedScenes(body)))));
  });
}

export function imageHandler(png: Buffer, log?: RecordedRequest[]): HttpHandler {
  return http.post(endpoints.images, async ({ request }) => {
    await record(request, log);
    return HttpResponse.json({ created: 1_700_000_000, data: [{ b64_json: png.toString('base64') }] });
  });
}

export function speechHandler(aac: Buffer, log?: RecordedRequest[]): HttpHandler {
  return http.post(endpoints.speech, async ({ request }) => {
    await record(request, log);
    return new HttpResponse(new Uint8Array(aac), { headers: { 'content-type': 'audio/aac' } });
  });
}

/** The happy path for all three endpoints; override one with server.use() to inject a fault. */
export function openaiHandlers(fx: OpenAIFixtures, log?: RecordedRequest[]): HttpHandler[] {
  return [planHandler(log), imageHandler(fx.png, log), speechHandler(fx.aac, log)];
}
