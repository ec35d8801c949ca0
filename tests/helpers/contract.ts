// Checks one real request/response against the OpenAPI document (lib/openapi/document.ts): the path and
// method must be documented, the status must be one the operation lists, the headers it marks required
// must be there (and match their schemas), and the body must match the response's schema (or be absent
// when none is documented). tests/helpers/http.ts runs it on every call the API tests make.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '@/lib/openapi/document';

interface HeaderSpec {
  required?: boolean;
  schema?: object;
}
interface ResponseSpec {
  headers?: Record<string, HeaderSpec>;
  content?: Record<string, { schema?: object }>;
}
interface OperationSpec {
  operationId: string;
  requestBody?: { content?: Record<string, unknown> };
  responses: Record<string, ResponseSpec>;
}

const DOC_ID = 'cueframe-openapi';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** JSON Pointer escaping of one reference token (RFC 6901). */
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface Route {
  template: string;
  pattern: RegExp;
  operations: Partial<Record<string, OperationSpec>>;
}

export interface Checker {
  /**
   * Problems with this exchange; empty when it keeps to the document. With the request's JSON body, a
   * request the API accepted (2xx) must also be one the document accepts.
   */
  check(method: string, url: string, res: Response, requestBody?: string): Promise<string[]>;
}

export function createChecker(doc: object = openApiDocument()): Checker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let v = validators.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      validators.set(pointer, v);
    }
    return v;
  };

  const paths = (doc as { paths: Record<string, Record<string, OperationSpec>> }).paths;
  const routes: Route[] = Object.entries(paths).map(([template, item]) => ({
    template,
    // A {key} segment is a catch-all (the files route's key may contain slashes); other parameters are one segment.
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => (name === 'key' ? '.+' : '[^/]+'))}$`),
    operations: Object.fromEntries(METHODS.filter((m) => item[m]).map((m) => [m, item[m]])),
  }));
  // Literal paths win over templated ones (e.g. /api/video/estimate over /api/video/{id}).
  routes.sort((a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')));

  return {
    async check(method, url, res, requestBody) {
      const { pathname } = new URL(url, 'http://localhost');
      const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
      const route = routes.find((r) => r.pattern.test(pathname) && r.operations[m]) ?? routes.find((r) => r.pattern.test(pathname));
      const where = `${method} ${pathname} → ${res.status}`;
      if (!route) return [`${where}: path is not in the OpenAPI document`];
      const op = route.operations[m];
      if (!op) return [`${where}: method is not documented for ${route.template}`];
      const status = String(res.status);
      const spec = op.responses[status] ?? op.responses.default;
      if (!spec) return [`${where}: status ${status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(', ')})`];
      const base = `/paths/${esc(route.template)}/${m}/responses/${status}`;
      const problems: string[] = [];

      if (res.ok && requestBody !== undefined && op.requestBody?.content?.['application/json']) {
        const v = validatorAt(`/paths/${esc(route.template)}/${m}/requestBody/content/application~1json/schema`);
        if (!v(JSON.parse(requestBody))) {
          problems.push(`${where}: the API accepted a request body the document refuses: ${ajv.errorsText(v.errors, { separator: '; ' })}\n  body: ${requestBody.slice(0, 600)}`);
        }
      }

      for (const [name, h] of Object.entries(spec.headers ?? {})) {
        const value = res.headers.get(name);
        if (value === null) {
          if (h.required) problems.push(`${where}: required header ${name} is missing`);
          continue;
        }
        if (h.schema) {
          const v = validatorAt(`${base}/headers/${esc(name)}/schema`);
          if (!v(value)) problems.push(`${where}: header ${name}: ${value} ${ajv.errorsText(v.errors)}`);
        }
      }

      const text = method.toUpperCase() === 'HEAD' ? '' : await res.text();
      const json = spec.content?.['application/json'];
      if (!spec.content) {
        if (text !== '') problems.push(`${where}: documented without a body, but answered ${JSON.stringify(text.slice(0, 200))}`);
      } else if (json && method.toUpperCase() !== 'HEAD') {
        const type = res.headers.get('content-type') ?? '';
        if (!type.startsWith('application/json')) problems.push(`${where}: content-type ${type}, documented application/json`);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return [...problems, `${where}: body is not JSON: ${JSON.stringify(text.slice(0, 200))}`];
        }
        const v = validatorAt(`${base}/content/application~1json/schema`);
        if (!v(body)) {
          problems.push(`${where}: body does not match the ${op.operationId} ${status} schema: ${ajv.errorsText(v.errors, { separator: '; ' })}\n  body: ${text.slice(0, 600)}`);
        }
      }
      return problems;
    },
  };
}

let shared: Checker | undefined;

/** The checker for the live document, made once per test file. */
export function contractChecker(): Checker {
  shared ??= createChecker();
  return shared;
}
