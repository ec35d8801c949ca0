// The OpenAPI document: valid OpenAPI 3.1 by a real validator, served by its route, covering every public
// route, generated from the routes' own schemas, with committed client types that match it; and the
// contract checker the API tests run really refuses answers the document does not allow.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { GET as OPENAPI } from '@/app/api/openapi.json/route';
import { errorStatus } from '@/lib/errors';
import { openApiDocument } from '@/lib/openapi/document';
import { renderSchemaTypes, SCHEMA_TYPES_FILE } from '@/scripts/openapi-types';
import { createChecker } from '../helpers/contract';
import { ROOT } from '../helpers/server';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; securitySchemes: Record<string, unknown> };
};

/** Served over the route, as an integrator gets it. */
async function served(): Promise<Doc> {
  const res = OPENAPI();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Doc;
}

/** Operator routes the document leaves out on purpose (its description says so). */
const LEFT_OUT = /^\/api\/(admin|metrics|cleanup)(\/|$)/;

/** Every route file under app/api, as a path template and the methods it exports. */
async function routeFiles(): Promise<Array<{ template: string; methods: string[] }>> {
  const found: Array<{ template: string; methods: string[] }> = [];
  const walk = async (dir: string) => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name === 'route.ts') {
        const rel = path.relative(path.join(ROOT, 'app'), path.dirname(p)).split(path.sep).join('/');
        const template = `/${rel}`.replace(/\[\.\.\.(\w+)\]/g, '{$1}').replace(/\[(\w+)\]/g, '{$1}');
        const mod = (await import(p)) as Record<string, unknown>;
        found.push({ template, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => typeof mod[m] === 'function') });
      }
    }
  };
  await walk(path.join(ROOT, 'app/api'));
  return found;
}

describe('GET /api/openapi.json', () => {
  it('serves a document that a real OpenAPI 3.1 validator accepts', async () => {
    const doc = await served();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every method of every public route, and leaves out only the operator routes', async () => {
    const doc = await served();
    const routes = await routeFiles();
    expect(routes.length).toBeGreaterThan(15);
    const missing: string[] = [];
    for (const { template, methods } of routes) {
      if (LEFT_OUT.test(template)) {
        expect(doc.paths[template], `${template} is an operator route`).toBeUndefined();
        continue;
      }
      for (const m of methods) if (!doc.paths[template]?.[m.toLowerCase()]) missing.push(`${m} ${template}`);
    }
    expect(missing).toEqual([]);
    // …and nothing is documented that no route serves.
    const served_ = new Set(routes.flatMap((r) => r.methods.map((m) => `${m.toLowerCase()} ${r.template}`)));
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const m of Object.keys(item)) expect(served_.has(`${m} ${template}`), `${m} ${template}`).toBe(true);
    }
  });

  it('has the three security schemes, and owner routes accept the token or the cookie, cron routes the cron bearer', async () => {
    const doc = await served();
    expect(doc.components.securitySchemes).toMatchObject({
      apiToken: { type: 'http', scheme: 'bearer' },
      ownerCookie: { type: 'apiKey', in: 'cookie', name: 'cf_owner' },
      cronSecret: { type: 'http', scheme: 'bearer' },
    });
    expect(doc.paths['/api/video/generate']!.post!.security).toEqual([{ apiToken: [] }, { ownerCookie: [] }]);
    expect(doc.paths['/api/video/process-queue']!.post!.security).toEqual([{ cronSecret: [] }]);
    expect(doc.paths['/api/health']!.get!.security).toEqual([]);
  });

  it("has one error schema whose codes are exactly lib/errors.ts's table", async () => {
    const doc = await served();
    const error = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(errorStatus).sort());
  });

  it("is generated from the routes' request schemas (constraints included), not a copy", async () => {
    const doc = openApiDocument() as unknown as Doc;
    const body = JSON.stringify(doc.paths['/api/video/generate']!.post);
    // MAX_SCENES, the topic's 200 characters and the batch's 10 come from lib/schemas/video.ts.
    expect(body).toContain('"sceneCount":{"type":"integer","minimum":1,"maximum":12}');
    expect(body).toContain('"maxLength":200');
    expect(body).toContain('"maxItems":10');
    expect(openApiDocument()).toBe(openApiDocument()); // built once, then cached
  });

  it('lib/client/schema.d.ts is what `npm run openapi:types` makes from the current document', async () => {
    const committed = fs.readFileSync(SCHEMA_TYPES_FILE, 'utf8');
    expect(committed === (await renderSchemaTypes()), 'lib/client/schema.d.ts is stale: run `npm run openapi:types`').toBe(true);
  });
});

describe('the contract checker', () => {
  const checker = createChecker();
  const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
    Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
  const summary = { id: '5f1c7e8e-1111-4a4a-8888-000000000001', topic: 't', status: 'queued', progress: 0, stepLabel: 'Waiting', aspectRatio: '16:9', posterUrl: null, createdAt: '2026-01-01T00:00:00.000Z' };

  it('accepts an answer the document allows', async () => {
    expect(await checker.check('GET', '/api/videos?limit=2', json({ videos: [summary], nextCursor: null }, 200))).toEqual([]);
  });

  it('refuses an undocumented status, path or method', async () => {
    expect((await checker.check('GET', '/api/videos', json({}, 418)))[0]).toMatch(/status 418 is not documented for listVideos/);
    expect((await checker.check('GET', '/api/nowhere', json({}, 200)))[0]).toMatch(/path is not in the OpenAPI document/);
    expect((await checker.check('PUT', '/api/videos', json({}, 200)))[0]).toMatch(/method is not documented/);
  });

  it('refuses a body with a field missing, a field the schema does not know, or a wrong type', async () => {
    const noTopic: Partial<typeof summary> = { ...summary };
    delete noTopic.topic;
    expect((await checker.check('GET', '/api/videos', json({ videos: [noTopic], nextCursor: null }, 200)))[0]).toMatch(/must have required property 'topic'/);
    expect((await checker.check('GET', '/api/videos', json({ videos: [{ ...summary, extra: 1 }], nextCursor: null }, 200)))[0]).toMatch(/must NOT have additional properties/);
    expect((await checker.check('GET', '/api/videos', json({ videos: [{ ...summary, status: 'lost' }], nextCursor: null }, 200)))[0]).toMatch(/must be equal to one of the allowed values/);
    expect((await checker.check('GET', '/api/videos', json({ error: { code: 'teapot', message: 'x' } }, 422)))[0]).toMatch(/allowed values/);
  });

  it('refuses an accepted request whose body the document would not allow', async () => {
    const accepted = json({ id: summary.id, status: 'queued', statusUrl: `/api/video/status/${summary.id}`, costCredits: 1 }, 202);
    expect(await checker.check('POST', '/api/video/generate', accepted.clone(), JSON.stringify({ topic: 'Tides' }))).toEqual([]);
    expect((await checker.check('POST', '/api/video/generate', accepted, JSON.stringify({ topic: 'Tides', colour: 'red' })))[0])
      .toMatch(/the API accepted a request body the document refuses/);
  });

  it('refuses a missing promised header, and a body where none is documented', async () => {
    const notModified = new Response(null, { status: 304, headers: { 'cache-control': 'private, no-cache' } });
    expect(await checker.check('GET', '/api/video/status/x', notModified)).toEqual(['GET /api/video/status/x → 304: required header ETag is missing']);
    const limited = json({ error: { code: 'rate_limited', message: 'slow down' } }, 429);
    expect((await checker.check('POST', '/api/video/generate', limited))[0]).toMatch(/required header Retry-After is missing/);
    // fetch's Response refuses to build a 204 with a body, so one is made from a 200.
    const noContent = Object.defineProperty(new Response('{}', { headers: { 'cache-control': 'no-store' } }), 'status', { value: 204 });
    expect((await checker.check('DELETE', '/api/video/x', noContent))[0]).toMatch(/documented without a body/);
  });
});
