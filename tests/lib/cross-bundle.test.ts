// Next.js loads lib modules once per bundle, so errors and adapters cross module instances.
import { describe, expect, it, vi } from 'vitest';
import { errorResponse } from '@/lib/api/respond';
import { isLocalStorage, LocalStorage } from '@/lib/storage/local';

describe('objects made by another module instance', () => {
  it('an AppError from another instance keeps its status and code', async () => {
    vi.resetModules();
    const other = (await import(/* @vite-ignore */ `${'@/lib/errors'}?instance=2`)) as typeof import('@/lib/errors');
    expect(new other.AppError('not_found', 'x')).not.toBeInstanceOf((await import('@/lib/errors')).AppError);
    const err = new other.AppError('not_found', 'No video with this id.');
    const res = errorResponse(err, 'test');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No video with this id.' } });
  });

  it('an unknown error becomes a generic 500 that leaks no detail', async () => {
    const res = errorResponse(new Error('connection string postgres://user:pw@host'), 'test');
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('postgres://');
  });

  it('a LocalStorage from another instance is still recognised', async () => {
    const other = (await import(/* @vite-ignore */ `${'@/lib/storage/local'}?instance=2`)) as typeof import('@/lib/storage/local');
    const s = new other.LocalStorage({ root: '/tmp/x', secret: 'x'.repeat(32) });
    expect(s).not.toBeInstanceOf(LocalStorage);
    expect(isLocalStorage(s)).toBe(true);
  });
});
