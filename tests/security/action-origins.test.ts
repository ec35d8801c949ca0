// ALLOWED_ORIGINS reaches the Server Actions' own origin check too: a site the API and proxy.ts let
// through must not then meet Next.js's bare 500 when it posts the Generate form.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '@/lib/api/body';
import { parseAllowedOrigins, serverActionOrigins } from '@/lib/http/allowed-origins';

describe('serverActionOrigins', () => {
  it('names each allowed origin by its host and port, as Next.js compares an Origin header', () => {
    expect(serverActionOrigins('https://App.Example.com, http://box.lan:8080')).toEqual(['app.example.com', 'box.lan:8080']);
  });

  it('gives none for an unset or malformed setting, which lib/config.ts refuses with its reason', () => {
    expect(serverActionOrigins(undefined)).toEqual([]);
    expect(serverActionOrigins('app.example.com')).toEqual([]);
    expect(() => parseAllowedOrigins('app.example.com')).toThrow(/not an origin/);
    expect(() => parseAllowedOrigins('https://app.example.com/path')).toThrow(/not an origin/);
  });
});

describe('next.config.ts', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('hands Next.js the ALLOWED_ORIGINS hosts and the JSON routes\' body limit for Server Actions', async () => {
    vi.stubEnv('ALLOWED_ORIGINS', 'https://partner.example.com');
    vi.resetModules();
    const { default: config } = await import('@/next.config');
    expect(config.experimental?.serverActions).toEqual({ allowedOrigins: ['partner.example.com'], bodySizeLimit: MAX_BODY_BYTES });
  });
});
