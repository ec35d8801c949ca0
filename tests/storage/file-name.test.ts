// The final MP4's name is in its storage key (Vercel Blob names downloads after the pathname), so it
// must always satisfy the key grammar, whatever the topic.
import { describe, expect, it } from 'vitest';
import { FALLBACK_STEM, STEM_PATTERN, fileStem, videoFileName } from '@/lib/storage/file-name';
import { assertValidKey } from '@/lib/storage/keys';

describe('videoFileName', () => {
  it.each([
    ['How do bees make honey?', 'how-do-bees-make-honey.mp4'],
    ['How do <b>bees</b> make "honey"?', 'how-do-b-bees-b-make-honey.mp4'],
    ['  The 1906 San Francisco earthquake  ', 'the-1906-san-francisco-earthquake.mp4'],
    ['Café crème, naïve señor', 'cafe-creme-naive-senor.mp4'],
    ['Ærø, Øresund und Straße', 'aero-oresund-und-strasse.mp4'],
    ['ﬁne ＦＵＬＬＷＩＤＴＨ', 'fine-fullwidth.mp4'],
    ['../../etc/passwd', 'etc-passwd.mp4'],
    ['final.mp4.meta.json', 'final-mp4-meta-json.mp4'],
  ])('names %j %j', (topic, name) => {
    expect(videoFileName(topic)).toBe(name);
  });

  it.each(['🐝🐝', '日本の火山', '   ', '', '?!'])('falls back to a fixed name for %j', (topic) => {
    expect(videoFileName(topic)).toBe(`${FALLBACK_STEM}.mp4`);
  });

  it('keeps whole words up to 60 characters, and cuts a single longer word', () => {
    const words = fileStem('Why the Roman Empire fell: economics, plagues, migrations and politics across centuries');
    expect(words).toBe('why-the-roman-empire-fell-economics-plagues-migrations-and');
    expect(words.length).toBeLessThanOrEqual(60);
    expect(fileStem('x'.repeat(200))).toBe('x'.repeat(60));
    expect(fileStem(`${'a'.repeat(58)} bc`)).toBe('a'.repeat(58));
  });

  it('always makes a valid key segment', () => {
    const samples = ['a', 'A-B', '-x-', 'é'.repeat(300), 'a\u0000b', 'a/b\\c', '%2e%2e', 'x.meta.json', '\u{1F41D}x\u{1F41D}', 'I\u0307stanbul'];
    for (let c = 0; c < 0x2500; c += 7) samples.push(`${String.fromCharCode(c)}word${String.fromCharCode(c + 3)}`);
    for (const topic of samples) {
      const name = videoFileName(topic);
      expect(name, topic).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*\.mp4$/);
      expect(name, topic).toMatch(new RegExp(`^${STEM_PATTERN}\\.mp4$`));
      expect(assertValidKey(`videos/x/${name}`)).toBe(`videos/x/${name}`);
    }
  });
});
