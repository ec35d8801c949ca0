// The Generate form as a plain POST: what a browser without JavaScript (or before the page has hydrated)
// sends, read back into the form's values, and what the page shows after a refused submission. Pure, so
// the Server Action and the form share it and tests can drive it with a FormData.
import { aspectRatios, resolutions, type AspectRatio, type Resolution } from '@/lib/media/dimensions';
import { musicBeds } from '@/lib/media/music-beds';
import { languages } from '@/lib/providers/languages';
import { motionNames, providerNames } from '@/lib/providers/types';
import type { FieldErrors, FormValues } from './generate-options';
import type { GenerationChoice } from './generation-choices';

/** The hidden field that carries the form's idempotency key, made on the server for each render of the form. */
export const IDEMPOTENCY_FIELD = 'idempotencyKey';

/** What the page shows after a submission the server refused: the values sent, and what was wrong. */
export interface GenerateFormState {
  values: FormValues | null;
  /** The options as sent, where they name something this build knows; the rest follow the defaults. */
  changes: Partial<GenerationChoice>;
  errors: FieldErrors;
  formError: string | null;
}

export const initialFormState: GenerateFormState = { values: null, changes: {}, errors: {}, formError: null };

export interface Submission {
  values: FormValues;
  /** The options exactly as sent, for the request: an unknown provider must be refused, not replaced. */
  options: Record<string, string | number | boolean>;
  /** The same options where they are valid names, to show the form again as it was. */
  changes: Partial<GenerationChoice>;
  idempotencyKey: string | null;
}

const text = (data: FormData, name: string): string | null => {
  const v = data.get(name);
  return typeof v === 'string' ? v : null;
};

function oneOf<T extends string>(list: readonly T[], value: string | null): T | undefined {
  return value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Reads the fields the form renders; anything else in the body (Next.js's own fields among them) is ignored. */
export function readSubmission(data: FormData): Submission {
  const values: FormValues = {
    topic: text(data, 'topic') ?? '',
    description: text(data, 'description') ?? '',
    ownScript: text(data, 'ownScript') === 'own',
    script: text(data, 'script') ?? '',
    sceneCount: text(data, 'sceneCount') ?? '4',
    aspectRatio: oneOf<AspectRatio>(aspectRatios, text(data, 'aspectRatio')) ?? '16:9',
    resolution: oneOf<Resolution>(resolutions, text(data, 'resolution')) ?? '720p',
    // A checkbox is sent only when ticked.
    review: data.has('review'),
  };
  const options: Submission['options'] = {};
  for (const name of ['provider', 'motion', 'voice', 'language', 'music'] as const) {
    const v = text(data, name);
    if (v !== null) options[name] = v;
  }
  const volume = text(data, 'musicVolume');
  if (volume !== null) options.musicVolume = volume.trim() === '' ? Number.NaN : Number(volume);
  // The options group always renders the captions box, so its absence means "not ticked".
  if (data.has('provider')) options.burnCaptions = data.has('burnCaptions');

  const changes: Partial<GenerationChoice> = {};
  const provider = oneOf(providerNames, text(data, 'provider'));
  if (provider) changes.provider = provider;
  const motion = oneOf(motionNames, text(data, 'motion'));
  if (motion) changes.motion = motion;
  const voice = text(data, 'voice');
  if (voice) changes.voice = voice;
  const language = oneOf(languages, text(data, 'language'));
  if (language) changes.language = language;
  const music = oneOf(musicBeds, text(data, 'music'));
  if (music) changes.music = music;
  if (typeof options.musicVolume === 'number' && options.musicVolume >= 0 && options.musicVolume <= 1) changes.musicVolume = options.musicVolume;
  if (typeof options.burnCaptions === 'boolean') changes.burnCaptions = options.burnCaptions;

  return { values, options, changes, idempotencyKey: text(data, IDEMPOTENCY_FIELD) };
}
