// Keys become both file paths on disk and URL paths, so they are held to a strict grammar before
// anything touches the filesystem. Rejecting is cheaper than reasoning about every escape trick.
import { AppError } from '@/lib/errors';
import { videoFileName } from './file-name';

const MAX_KEY_LENGTH = 512;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Each object's metadata sidecar ends with this, so no key segment may: a key must never name a sidecar. */
export const META_SUFFIX = '.meta.json';

function invalid(reason: string): AppError {
  return new AppError('bad_request', `Invalid storage key: ${reason}.`);
}

/** Returns the key unchanged if it is safe to use as a relative path and a URL path; throws bad_request otherwise. */
export function assertValidKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw invalid('empty');
  if (key.length > MAX_KEY_LENGTH) throw invalid(`longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) {
    // The character class already excludes '/', '\\', NUL and '%', so empty segments cover
    // leading, trailing and doubled slashes.
    if (!SEGMENT.test(segment)) throw invalid('segments may only contain letters, digits, ".", "_" and "-"');
    if (segment === '.' || segment === '..') throw invalid('"." and ".." segments are not allowed');
    // Case-insensitive because macOS and Windows filesystems are.
    if (segment.toLowerCase().endsWith(META_SUFFIX)) throw invalid(`segments may not end with "${META_SUFFIX}"`);
  }
  return key;
}

export interface VideoKeys {
  /** Every key of the video starts with this (it ends in "/", so it is a prefix, not a key). */
  prefix: string;
  /** The finished MP4, named after the topic, because a download takes its name from the key. */
  final(topic: string): string;
  poster: string;
  captions: string;
  scene(index: number): string;
  /** A scene's paid intermediates: kept so a retried step reuses them instead of paying again. */
  sceneImage(index: number): string;
  sceneAudio(index: number): string;
  /** The narration's caption timing, kept beside the audio so a render that reuses the audio reuses its timing. */
  sceneCues(index: number): string;
}

function sceneIndex(index: number): number {
  if (!Number.isSafeInteger(index) || index < 0) throw invalid('scene index must be a whole number >= 0');
  return index;
}

/** Deterministic per-video keys: re-running a pipeline step overwrites its output instead of leaving a copy. */
export function videoKeys(videoId: string): VideoKeys {
  if (typeof videoId !== 'string' || videoId.includes('/')) throw invalid('video id must be a single segment');
  const prefix = `videos/${videoId}/`;
  assertValidKey(`${prefix}poster.jpg`);
  return {
    prefix,
    final(topic: string): string {
      return `${prefix}${videoFileName(topic)}`;
    },
    poster: `${prefix}poster.jpg`,
    captions: `${prefix}captions.vtt`,
    scene(index: number): string {
      return `${prefix}scenes/${sceneIndex(index)}.mp4`;
    },
    sceneImage(index: number): string {
      return `${prefix}scenes/${sceneIndex(index)}/image.png`;
    },
    sceneAudio(index: number): string {
      return `${prefix}scenes/${sceneIndex(index)}/narration.m4a`;
    },
    sceneCues(index: number): string {
      return `${prefix}scenes/${sceneIndex(index)}/narration-cues.json`;
    },
  };
}
