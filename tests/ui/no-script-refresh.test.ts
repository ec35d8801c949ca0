// A video's page without JavaScript reloads itself only while reloading can show something new.
import { describe, expect, it } from 'vitest';
import { reloadsWithoutScript } from '@/lib/api/video-status';
import { videoStatuses } from '@/lib/videos/types';

describe('the video page’s reload without JavaScript', () => {
  it('follows a video while it is made, and stops when it ends or waits for its owner’s review', () => {
    expect(Object.fromEntries(videoStatuses.map((s) => [s, reloadsWithoutScript(s)]))).toEqual({
      queued: true, planning: true, rendering: true, composing: true,
      awaiting_review: false, completed: false, failed: false, cancelled: false,
    });
  });
});
