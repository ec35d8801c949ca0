import { describe, expect, it } from 'vitest';
import { clampPercent, formatDuration, formatRelative } from '@/components/format';
import { fieldForPath, validate, type FormValues } from '@/components/generate-options';

describe('format', () => {
  it('formats durations, percentages and relative times', () => {
    expect(formatDuration(83_400)).toBe('1:23');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(clampPercent(142)).toBe(100);
    expect(clampPercent(Number.NaN)).toBe(0);
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(formatRelative('2025-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2025-01-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2025-01-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2024-12-31T12:00:00Z', now)).toBe('yesterday');
  });
});

describe('generate form rules', () => {
  const ok: FormValues = {
    topic: 'Bees', description: '', ownScript: false, script: '', sceneCount: '4', aspectRatio: '16:9', resolution: '720p', review: false,
  };
  const planned = { scriptMode: false };

  it('accepts a valid request and names each problem', () => {
    expect(validate(ok, planned)).toEqual({});
    expect(Object.keys(validate({ ...ok, topic: '   ', sceneCount: '13', description: 'x'.repeat(2001) }, planned))).toEqual([
      'topic',
      'description',
      'sceneCount',
    ]);
    expect(validate({ ...ok, sceneCount: '2.5' }, planned).sceneCount).toBeTruthy();
  });

  it('maps API issue paths onto fields', () => {
    expect(fieldForPath('topic')).toBe('topic');
    expect(fieldForPath('body.sceneCount')).toBe('sceneCount');
    expect(fieldForPath('/aspectRatio')).toBe('aspectRatio');
    expect(fieldForPath('')).toBeNull();
    // An issue inside the script (its third paragraph) or in a batch's request lands on the field.
    expect(fieldForPath('script.2')).toBe('script');
    expect(fieldForPath('0.script.11')).toBe('script');
    expect(fieldForPath('0.language')).toBe('language');
    expect(fieldForPath('script.x')).toBeNull();
  });
});
