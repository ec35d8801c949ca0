// One palette per video, chosen from its id: every card of a video shares it, and a re-rendered scene gets the
// same colours again. Colours are ffmpeg colour strings (0xRRGGBB).

export interface CardPalette {
  /** The background gradient runs from `from` (top left) to `to` (bottom right). */
  from: string;
  to: string;
  /** The bars, the glow and the small line under the title. */
  accent: string;
  /** Headline text. */
  ink: string;
  /** Small text. */
  muted: string;
  /** Shadow under text: dark on dark palettes for depth, none on light ones. */
  shadow: string | null;
}

export const palettes: readonly CardPalette[] = [
  { from: '0x0b1026', to: '0x1d3a7a', accent: '0x5ec8f2', ink: '0xffffff', muted: '0xc7d2fe', shadow: 'black@0.35' },
  { from: '0x230a3a', to: '0x7a1f5c', accent: '0xffa8d2', ink: '0xffffff', muted: '0xf5d0fe', shadow: 'black@0.35' },
  { from: '0x04261c', to: '0x0f5e52', accent: '0xf6c453', ink: '0xffffff', muted: '0xccfbf1', shadow: 'black@0.35' },
  { from: '0x1a1412', to: '0x7a2e12', accent: '0xffa45c', ink: '0xfff7ed', muted: '0xfed7aa', shadow: 'black@0.35' },
  { from: '0x062338', to: '0x0f6f86', accent: '0x7cf0d8', ink: '0xffffff', muted: '0xcffafe', shadow: 'black@0.35' },
  { from: '0x17171c', to: '0x3b3b48', accent: '0xff7a8a', ink: '0xffffff', muted: '0xe4e4e7', shadow: 'black@0.35' },
  { from: '0x2a0b52', to: '0x151a4a', accent: '0xffd24a', ink: '0xffffff', muted: '0xe9d5ff', shadow: 'black@0.35' },
  { from: '0xfbf6ec', to: '0xefdcc0', accent: '0xc2410c', ink: '0x1c1917', muted: '0x57534e', shadow: null },
];

/** FNV-1a over the key's UTF-16 code units: stable across runs and platforms, unlike any engine's hash. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function paletteForKey(key: string): CardPalette {
  return palettes[hash(key) % palettes.length]!;
}
