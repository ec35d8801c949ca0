// Narration is spoken and captioned sentence by sentence. ICU's sentence rules (Intl.Segmenter) know each
// language's punctuation (¿…? ¡…!, «…», decimals, ellipses); V8 leaves out ICU's abbreviation list, so two
// repairs follow: a title before a name ("Dr. Smith") does not end a sentence, and a closing quote that ICU
// split off ("« Bonjour ! » dit-il.") stays with its sentence.
const segmenters = new Map<string, Intl.Segmenter>();

// Titles that precede a name in the six languages spoken here; a sentence hardly ever ends on one.
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'sra', 'srta', 'dra', 'mme', 'mlle', 'm', 'hr', 'fr', 'dott', 'sig']);
const ENDS_WITH_TITLE = /(?:^|[\s(«"“])([\p{L}]{1,5})\.$/u;
const STARTS_CLOSING = /^[»”’"')\]]/u;

function segmenter(language: string): Intl.Segmenter {
  let s = segmenters.get(language);
  if (!s) {
    s = new Intl.Segmenter(language, { granularity: 'sentence' });
    segmenters.set(language, s);
  }
  return s;
}

export function splitSentences(text: string, language: string): string[] {
  const parts = [...segmenter(language).segment(text.replace(/\s+/g, ' '))].map((s) => s.segment.trim()).filter(Boolean);
  const out: string[] = [];
  for (const part of parts) {
    const prev = out.at(-1);
    const title = prev ? ENDS_WITH_TITLE.exec(prev)?.[1] : undefined;
    if (prev !== undefined && ((title && TITLES.has(title.toLowerCase())) || STARTS_CLOSING.test(part))) out[out.length - 1] = `${prev} ${part}`;
    else out.push(part);
  }
  return out;
}
