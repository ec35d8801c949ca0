// The key layout of lib/storage/keys.ts videoKeys(), read backwards: which part of which video a key
// is. tests/cleanup/layout.test.ts checks this against videoKeys() so the two cannot drift apart.
import { STEM_PATTERN } from '@/lib/storage/file-name';

export type Part =
  /** <topic>.mp4 (final.mp4 before file names came from topics), poster.jpg, captions.vtt: what the user keeps. */
  | 'final'
  /** scenes/<i>.mp4 */
  | 'clip'
  /** scenes/<i>/image.png, scenes/<i>/narration.m4a and its timing, narration-cues.json: a render's paid inputs. */
  | 'input'
  /** Under a video's prefix but not a key videoKeys() makes. */
  | 'stray';

export type KeyClass = { kind: 'video'; videoId: string; part: Part } | { kind: 'loose' };

/** videos.id is a uuid, and Postgres prints uuids in lower case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VIDEO_KEY = /^videos\/([^/]+)\/(.+)$/;
const SCENE = '^scenes/(?:0|[1-9][0-9]*)';
const PARTS: ReadonlyArray<readonly [RegExp, Part]> = [
  // The MP4 is named by fileStem() ("final", the name before topics, is one such stem).
  [new RegExp(`^(?:${STEM_PATTERN}\\.mp4|poster\\.jpg|captions\\.vtt)$`), 'final'],
  [new RegExp(`${SCENE}\\.mp4$`), 'clip'],
  [new RegExp(`${SCENE}/(?:image\\.png|narration\\.m4a|narration-cues\\.json)$`), 'input'],
];

/** 'loose': outside any videos/<uuid>/ prefix, so no video can own it. */
export function classifyKey(key: string): KeyClass {
  const m = VIDEO_KEY.exec(key);
  if (!m || !UUID.test(m[1]!)) return { kind: 'loose' };
  const part = PARTS.find(([re]) => re.test(m[2]!))?.[1] ?? 'stray';
  return { kind: 'video', videoId: m[1]!, part };
}

export function videoPrefix(videoId: string): string {
  return `videos/${videoId}/`;
}
