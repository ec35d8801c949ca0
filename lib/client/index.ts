// The typed Cueframe client: openapi-fetch over the paths and schemas generated from the OpenAPI document
// (lib/client/schema.d.ts, `npm run openapi:types`). Each call answers `{ data, error, response }`, typed
// by method, path and status. The UI (lib/swr) and the CLI's server mode (scripts/generate.ts) use it.
//
//   const api = createCueframeClient({ baseUrl: 'https://cueframe.example', token: 'cf_…' });
//   const { data, error } = await api.POST('/api/video/generate', { body: { topic: 'Tides' } });
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type CueframeClient = Client<paths>;
/** The API's named schemas: Video, VideoPage, GenerateAccepted, Error… */
export type Schemas = components['schemas'];

export interface ClientOptions {
  /** The server's origin, e.g. https://cueframe.example; '' for the page's own origin in a browser. */
  baseUrl: string;
  /** An API token (`cf_…`); without one a browser's owner cookie names the caller. */
  token?: string;
  /** Defaults to the global fetch, looked up at each call (so tests and polyfills can replace it). */
  fetch?: (request: Request) => Promise<Response>;
}

export function createCueframeClient({ baseUrl, token, fetch }: ClientOptions): CueframeClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    fetch: fetch ?? ((request) => globalThis.fetch(request)),
  });
}
