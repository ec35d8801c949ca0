import { describe, expect, it } from 'vitest';
import { cleanupSettings } from '@/lib/cleanup/settings';

describe('cleanupSettings', () => {
  it('defaults to 7 days and 6 hours, empty values included', () => {
    expect(cleanupSettings({})).toEqual({ intermediatesDays: 7, tempFilesHours: 6 });
    expect(cleanupSettings({ CLEANUP_INTERMEDIATES_DAYS: '', CLEANUP_TEMP_HOURS: '' })).toEqual({ intermediatesDays: 7, tempFilesHours: 6 });
  });

  it('reads both variables', () => {
    expect(cleanupSettings({ CLEANUP_INTERMEDIATES_DAYS: '30', CLEANUP_TEMP_HOURS: '2' })).toEqual({ intermediatesDays: 30, tempFilesHours: 2 });
  });

  it('refuses anything but positive whole numbers, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'seven']) {
      expect(() => cleanupSettings({ CLEANUP_INTERMEDIATES_DAYS: bad }), bad).toThrow(/CLEANUP_INTERMEDIATES_DAYS/);
      expect(() => cleanupSettings({ CLEANUP_TEMP_HOURS: bad }), bad).toThrow(expect.objectContaining({ code: 'misconfigured' }));
    }
  });
});
