// The narration languages (BCP 47 primary tags). A language is listed only when both providers can
// speak it and the local cards render it (DejaVu covers the script; drawtext in ffmpeg 4.1 shapes
// with fribidi only, so scripts that need complex shaping stay out).
export const languages = ['en', 'es', 'fr', 'de', 'it', 'pt'] as const;
export type Language = (typeof languages)[number];

export const languageNames: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  it: 'Italiano',
  pt: 'Português',
};
