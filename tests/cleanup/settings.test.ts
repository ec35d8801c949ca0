import { describe, expect, it } from 'vitest';
import { cleanupSettings } from '@/lib/cleanup/settings';
import { loadConfig } from '@/lib/config';

const settings = (env: Record<string, string>) => cleanupSettings(loadConfig(env));

describe('cleanupSettings', () => {
  it('defaults to 7 days and 6 hours, empty values included', () => {
    expect(settings({})).toEqual({ intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 });
    expect(settings({ CLEANUP_INTERMEDIATES_DAYS: '', CLEANUP_TEMP_HOURS: '' })).toEqual({ intermediatesDays: 7, tempFilesHours: 6, reviewTtlHours: 24 });
  });

  it('reads both variables', () => {
    expect(settings({ CLEANUP_INTERMEDIATES_DAYS: '30', CLEANUP_TEMP_HOURS: '2' })).toEqual({ intermediatesDays: 30, tempFilesHours: 2, reviewTtlHours: 24 });
  });

  it('refuses anything but positive whole numbers, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'seven']) {
      expect(() => settings({ CLEANUP_INTERMEDIATES_DAYS: bad }), bad).toThrow(/CLEANUP_INTERMEDIATES_DAYS/);
      expect(() => settings({ CLEANUP_TEMP_HOURS: bad }), bad).toThrow(expect.objectContaining({ code: 'misconfigured' }));
    }
  });

  it('lets the rest of the configuration load with a bad value: only cleanup refuses it', () => {
    expect(loadConfig({ CLEANUP_TEMP_HOURS: '0' }).cleanup).toEqual({ misconfigured: 'CLEANUP_TEMP_HOURS must be a positive whole number.' });
  });
});
