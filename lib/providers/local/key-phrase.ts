// The few words a local card sets in large type. The planner writes them into the scene's visual prompt as
// quoted text ("Card: “Nectar becomes honey”"), so they are stored with the scene, shown and editable in review,
// and read back at render time; a prompt without quotes (edited by hand, or written for another provider) still
// gets a key phrase, derived from it or from the narration by the same rules every time.

// Words a phrase should not end on, in the languages the cards are drawn for (en, es, fr, de, it, pt).
const STOP = new Set([
  // en
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'from', 'with', 'by', 'as', 'into',
  'that', 'which', 'who', 'whose', 'when', 'where', 'while', 'because', 'so', 'than', 'then', 'is', 'are', 'was',
  'were', 'be', 'been', 'it', 'its', 'this', 'these', 'those', 'their', 'our', 'your', 'his', 'her', 'if', 'not',
  'can', 'will', 'do', 'does', 'has', 'have', 'had', 'very', 'about', 'how', 'what', 'why', 'more', 'most',
  'near', 'over', 'under', 'across', 'through', 'around', 'after', 'before', 'during', 'until', 'without', 'within',
  'between', 'against', 'toward', 'towards', 'onto', 'upon', 'like', 'per', 'via', 'up', 'down', 'out', 'off',
  // Adverbs that lead into what follows ("far more", "even faster"): a phrase ending on one dangles.
  'far', 'much', 'even', 'still', 'also', 'just', 'only', 'really', 'quite', 'too', 'almost', 'nearly',
  // es / pt / it / fr / de
  'el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'y', 'o', 'de', 'del', 'en', 'con', 'por', 'para', 'que',
  'se', 'su', 'sus', 'al', 'es', 'son', 'lo', 'como', 'pero', 'muy', 'más', 'o', 'os', 'as', 'um', 'uma', 'e', 'da',
  'do', 'dos', 'das', 'no', 'na', 'nos', 'nas', 'em', 'ao', 'é', 'il', 'lo', 'gli', 'le', 'i', 'di', 'della', 'delle',
  'nel', 'nella', 'che', 'per', 'con', 'è', 'sono', 'et', 'ou', 'des', 'du', 'les', 'une', 'dans', 'sur', 'qui',
  'est', 'sont', 'pour', 'par', 'avec', 'au', 'aux', 'ce', 'cette', 'ces', 'der', 'die', 'das', 'und', 'oder',
  'ein', 'eine', 'einen', 'einem', 'einer', 'im', 'ist', 'sind', 'mit', 'von', 'zu', 'zum', 'zur', 'auf', 'für',
  'den', 'dem', 'des', 'wie', 'dass', 'sich', "l'", "d'", "qu'",
]);

const MAX_WORDS = 6;
const QUOTED = /“([^”]*)”/gu;

/** The text's sentences, each trimmed; a sentence keeps its end punctuation. */
export function sentencesOf(text: string): string[] {
  return (text.replace(/\s+/g, ' ').match(/[^.!?…]+(?:[.!?…]+["'”’»)]*|$)/gu) ?? []).map((s) => s.trim()).filter(Boolean);
}

const bare = (w: string) => w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
const tidy = (s: string) => s.replace(/^[\s"'“‘«¿¡(–—-]+|[\s"'”’»).,;:!?…–—-]+$/gu, '');

/**
 * At most six words from the start of the text's first clause, cut where a phrase naturally ends: before a
 * function word ("Bees collect nectar from flowers and store it" -> "Bees collect nectar from flowers"), never
 * ending on one.
 */
export function keyPhraseFrom(text: string): string {
  const first = sentencesOf(text)[0] ?? '';
  const clause = tidy(first.split(/[,;:–—()]| - /u)[0] ?? '');
  const ws = clause.split(' ').filter((w) => bare(w) !== '');
  if (ws.length <= MAX_WORDS) return ws.join(' ');
  let end = 0;
  for (let e = MAX_WORDS; e >= 2; e--) {
    if (!STOP.has(bare(ws[e - 1]!)) && STOP.has(bare(ws[e]!))) { end = e; break; }
  }
  if (end === 0) {
    end = MAX_WORDS;
    while (end > 1 && STOP.has(bare(ws[end - 1]!))) end--;
  }
  return ws.slice(0, end).join(' ');
}

const comparable = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** True when the phrase is one of the narration's sentences in full: the card would repeat the caption. */
export function repeatsSentence(phrase: string, narration: string): boolean {
  const p = comparable(phrase);
  return p !== '' && sentencesOf(narration).some((s) => comparable(s) === p);
}

/** A key phrase that is not a whole sentence of the narration: one word fewer from the end, or else none. */
export function shortOfSentence(phrase: string, narration: string): string {
  if (!repeatsSentence(phrase, narration)) return phrase;
  const ws = phrase.split(' ');
  let end = ws.length - 1;
  while (end > 1 && STOP.has(bare(ws[end - 1]!))) end--;
  return end >= 2 ? tidy(ws.slice(0, end).join(' ')) : '';
}

const unquote = (s: string) => s.replace(/[“”]/gu, '"');

/** The opening card's prompt: its title and a short line beneath it. */
export function titleCardPrompt(title: string, kicker: string): string {
  return `Title card: “${unquote(title)}”${kicker ? `, with “${unquote(kicker)}” beneath` : ''}, in the video's colours.`;
}

export function sceneCardPrompt(keyPhrase: string): string {
  return `Card: “${unquote(keyPhrase)}” set large over a gradient in the video's colours.`;
}

export interface CardText {
  /** The large words: the title on the opening card, the key phrase on the others. */
  headline: string;
  /** The smaller line under the title on the opening card; empty when there is none. */
  kicker: string;
}

/**
 * What a local card says, read back from the scene's prompt: its quoted words when it has them, otherwise a key
 * phrase from the prompt itself, otherwise from the narration; never a whole sentence of the narration, which the
 * captions already show.
 */
export function cardText(scene: { sceneIndex: number; topic: string; visualPrompt: string; narration: string }): CardText {
  const quoted = [...scene.visualPrompt.matchAll(QUOTED)].map((m) => m[1]!.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (scene.sceneIndex === 0) {
    const headline = quoted[0] ?? scene.topic.replace(/\s+/g, ' ').trim();
    return { headline, kicker: quoted[1] ?? '' };
  }
  const phrase = quoted[0] ?? (keyPhraseFrom(scene.visualPrompt) || keyPhraseFrom(scene.narration));
  return { headline: shortOfSentence(phrase, scene.narration) || scene.topic.replace(/\s+/g, ' ').trim(), kicker: '' };
}
