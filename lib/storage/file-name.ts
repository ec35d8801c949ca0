// A video's file name, made from its topic. It is both the final MP4's storage key segment and what a
// download is called: Vercel Blob names a download after the pathname and offers no other way, so the
// name has to be in the key. Kept to the key grammar (lib/storage/keys.ts), hence ASCII only: accents
// are folded ("Café" → "cafe"), and a topic with no Latin letters or digits gets a fixed name.

const MAX_STEM = 60;
export const FALLBACK_STEM = 'cueframe-video';
/** Every stem fileStem() makes matches this (as a regular-expression source). */
export const STEM_PATTERN = '[a-z0-9]+(?:-[a-z0-9]+)*';

// Latin letters that Unicode decomposition leaves whole.
const FOLD: Record<string, string> = { æ: 'ae', œ: 'oe', ø: 'o', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

/** "How do bees make honey?" → "how-do-bees-make-honey": lowercase [a-z0-9] words joined by "-". */
export function fileStem(topic: string): string {
  const words = topic
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[æœøßđðłþı]/g, (c) => FOLD[c]!)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // Whole words up to the cap; a single longer word is cut.
  let stem = words[0]?.slice(0, MAX_STEM) ?? '';
  for (const w of words.slice(1)) {
    if (stem.length + 1 + w.length > MAX_STEM) break;
    stem += `-${w}`;
  }
  return stem || FALLBACK_STEM;
}

export function videoFileName(topic: string): string {
  return `${fileStem(topic)}.mp4`;
}
