import { aspectRatios, dimensionsFor, resolutions, type AspectRatio, type Resolution } from '@/lib/media/dimensions';

export const TOPIC_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const SCENES_MIN = 1;
export const SCENES_MAX = 12;

export const aspectLabels: Record<AspectRatio, string> = {
  '16:9': '16:9 Landscape',
  '9:16': '9:16 Portrait (Shorts/Reels)',
  '1:1': '1:1 Square',
  '4:3': '4:3',
  '3:4': '3:4',
  '21:9': '21:9 Cinematic',
};

export const resolutionLabels: Record<Resolution, string> = {
  '720p': '720p HD',
  '1080p': '1080p Full HD',
};

export const aspectOptions = aspectRatios.map((value) => ({ value, label: aspectLabels[value] }));
export const resolutionOptions = resolutions.map((value) => ({ value, label: resolutionLabels[value] }));

export function frameSize(aspect: AspectRatio, resolution: Resolution): string {
  const { width, height } = dimensionsFor(aspect, resolution);
  return `${width} × ${height} px`;
}

/** The fields inside the "Generation options" group, in page order. */
export const optionFieldNames = ['provider', 'motion', 'voice', 'burnCaptions'] as const;
export type OptionFieldName = (typeof optionFieldNames)[number];

export type FieldName = 'topic' | 'description' | 'sceneCount' | 'aspectRatio' | 'resolution' | OptionFieldName;
/** Every field in page order, so the first one with an error gets the focus. */
export const fieldNames: readonly FieldName[] = [
  'topic',
  'description',
  'sceneCount',
  'aspectRatio',
  'resolution',
  ...optionFieldNames,
];

export function isOptionField(name: FieldName): name is OptionFieldName {
  return (optionFieldNames as readonly string[]).includes(name);
}

export interface FormValues {
  topic: string;
  description: string;
  sceneCount: string;
  aspectRatio: AspectRatio;
  resolution: Resolution;
}

export type FieldErrors = Partial<Record<FieldName, string>>;

/** The same limits the API enforces, checked first so most mistakes never leave the browser. */
export function validate(v: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const topic = v.topic.trim();
  if (!topic) errors.topic = 'Enter a topic for your video.';
  else if (topic.length > TOPIC_MAX) errors.topic = `Keep the topic to ${TOPIC_MAX} characters or fewer.`;
  if (v.description.trim().length > DESCRIPTION_MAX)
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters or fewer.`;
  const n = Number(v.sceneCount);
  if (!v.sceneCount.trim() || !Number.isInteger(n) || n < SCENES_MIN || n > SCENES_MAX)
    errors.sceneCount = `Choose a whole number of scenes from ${SCENES_MIN} to ${SCENES_MAX}.`;
  return errors;
}

/** Maps API issue paths ("topic", "body.sceneCount", "/aspectRatio", "provider") onto form fields. */
export function fieldForPath(path: string): FieldName | null {
  const last = path.split(/[./]/).filter(Boolean).pop() ?? '';
  return (fieldNames as readonly string[]).includes(last) ? (last as FieldName) : null;
}
