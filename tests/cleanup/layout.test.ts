// classifyKey reads videoKeys() backwards; if keys.ts changes its layout, this fails before cleanup
// starts deleting live files as "outside the layout".
import { describe, expect, it } from 'vitest';
import { classifyKey } from '@/lib/cleanup/layout';
import { videoKeys } from '@/lib/storage/keys';

const id = '0b7c6f7e-1111-4222-8333-944445555666';
const k = videoKeys(id);

describe('classifyKey', () => {
  it('knows every key videoKeys() makes', () => {
    const finals = [k.final('How do bees make honey?'), k.final('🐝'), k.final('x'.repeat(200)), `${k.prefix}final.mp4`];
    for (const key of [...finals, k.poster, k.captions]) expect(classifyKey(key)).toEqual({ kind: 'video', videoId: id, part: 'final' });
    for (const i of [0, 7, 11, 120]) {
      expect(classifyKey(k.scene(i))).toEqual({ kind: 'video', videoId: id, part: 'clip' });
      expect(classifyKey(k.sceneImage(i))).toEqual({ kind: 'video', videoId: id, part: 'input' });
      expect(classifyKey(k.sceneAudio(i))).toEqual({ kind: 'video', videoId: id, part: 'input' });
      expect(classifyKey(k.sceneCues(i))).toEqual({ kind: 'video', videoId: id, part: 'input' });
    }
  });

  it('calls anything else under a video a stray, and anything outside videos/<uuid>/ loose', () => {
    for (const rest of ['extra.bin', 'scenes/01.mp4', 'scenes/0/other.png', 'scenes/x.mp4', 'final.mp4.bak', 'Final.mp4', 'a--b.mp4', '-a.mp4', 'a.mp4.mp4', 'scenes/0/image.png/deeper']) {
      expect(classifyKey(`${k.prefix}${rest}`), rest).toEqual({ kind: 'video', videoId: id, part: 'stray' });
    }
    for (const key of ['a.txt', 'videos/x/final.mp4', `videos/${id.toUpperCase()}/final.mp4`, `other/${id}/final.mp4`, 'videos/final.mp4']) {
      expect(classifyKey(key), key).toEqual({ kind: 'loose' });
    }
  });
});
