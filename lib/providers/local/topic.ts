// Reads a free-text topic well enough to write English sentences around it: what shape it has (a question, "how X
// works", an instruction, a noun phrase) and how its first word is cased when the topic sits mid-sentence.
// Deterministic and dictionary-free: when a rule cannot tell a proper noun from a common word, the user's casing is
// kept, because "a look at Photosynthesis" reads better than "a look at paris".

export type TopicShape =
  /** "How do bees make honey?", "Why is the sky blue": phrased as its own sentence, never embedded. */
  | { kind: 'question'; question: string; subject: string | null }
  /** "How volcanoes work", "How does a heat pump work?": subject "volcanoes", plural decides do/does. */
  | { kind: 'works'; subject: string; plural: boolean }
  /** "Learn to bake sourdough", "How to fix a flat tyre": action "learn to bake sourdough" / "fix a flat tyre". */
  | { kind: 'action'; action: string }
  /** "The Roman Empire", "black holes", "Baking bread": used mid-sentence as written, first word cased. */
  | { kind: 'thing'; subject: string };

export interface Topic {
  /** The topic as a card title: tidied spacing and end punctuation, first letter upper-case. */
  title: string;
  shape: TopicShape;
}

const WH = new Set(['how', 'why', 'what', 'when', 'where', 'who', 'whom', 'whose', 'which']);
const AUX = new Set([
  'do', 'does', 'did', 'is', 'are', 'was', 'were', 'am', 'can', 'could', 'should', 'would', 'will', 'shall', 'may',
  'might', 'must', 'has', 'have', 'had',
]);
// Words that open a topic only because they come first, whatever the casing of the rest: lower-case them mid-sentence.
const FUNCTION_WORDS = new Set([
  ...WH, ...AUX, 'a', 'an', 'the', 'this', 'that', 'these', 'those', 'my', 'your', 'our', 'their', 'his', 'her', 'its',
  'some', 'any', 'every', 'each', 'all', 'most', 'many', 'much', 'more', 'few', 'other', 'another', 'no', 'not',
  'in', 'on', 'at', 'of', 'for', 'from', 'with', 'without', 'about', 'into', 'onto', 'over', 'under', 'between',
  'through', 'during', 'before', 'after', 'beyond', 'inside', 'outside', 'behind', 'beneath', 'above', 'below',
  'and', 'or', 'but', 'if', 'to', 'as', 'by',
]);
// Common words a single-word or sentence-cased topic often opens with ("Healthy sleep", "Space"); in a Title Cased
// topic ("Black Holes") they are part of a title and keep their capital.
const COMMON_WORDS = new Set([
  'beginner', "beginner's", 'beginners', 'top', 'best', 'simple', 'easy', 'quick', 'short', 'new', 'old', 'great',
  'big', 'small', 'little', 'ten', 'five', 'three', 'first', 'last', 'next', 'modern', 'ancient', 'basic',
  'essential', 'healthy', 'everyday', 'introduction', 'intro', 'guide', 'history', 'science', 'art', 'life', 'story',
  'world', 'future', 'power', 'secret', 'secrets', 'rise', 'fall', 'end', 'age', 'black', 'white', 'red', 'blue',
  'green', 'deep', 'dark', 'climate', 'ocean', 'oceans', 'space', 'water', 'human', 'humans', 'animal', 'animals',
  'plant', 'plants', 'coral', 'solar', 'wind', 'home', 'personal', 'coffee', 'tea', 'bees', 'dogs', 'cats', 'birds',
  'sleep', 'money', 'music', 'food', 'bread', 'chess', 'rain', 'snow', 'light', 'sound', 'time', 'sharks', 'whales',
  'dinosaurs', 'stars', 'planets', 'rockets', 'robots', 'volcano', 'earthquakes', 'tides', 'clouds', 'trees',
]);
// Imperative openers: "Learn to bake sourdough" is an instruction, and its verb is lower-cased mid-sentence.
const IMPERATIVES = new Set([
  'learn', 'make', 'build', 'bake', 'cook', 'brew', 'understand', 'master', 'start', 'write', 'plant', 'grow', 'fix',
  'choose', 'train', 'save', 'use', 'get', 'find', 'improve', 'design', 'create', 'prepare', 'clean', 'paint',
  'draw', 'play', 'speak', 'read', 'manage', 'plan', 'avoid', 'stop', 'keep', 'try', 'take', 'set', 'run', 'teach',
  'sleep', 'eat', 'invest', 'budget', 'meditate', 'repair', 'replace', 'install', 'knit', 'sew', 'sing', 'swim',
  'travel', 'visit', 'explore', 'discover', 'practice', 'practise', 'study', 'care', 'raise', 'pack', 'brush',
  'protect', 'reduce', 'boost', 'change', 'tie', 'change', 'fold', 'shoot', 'edit', 'record', 'launch',
]);
// Capitalised words that stay capitalised: languages and peoples, days, months, planets, places and eras a topic
// often opens with. Anything in here is a proper noun whatever else the rules say.
const PROPER = new Set([
  'english', 'french', 'spanish', 'german', 'italian', 'portuguese', 'dutch', 'greek', 'roman', 'latin', 'chinese',
  'japanese', 'korean', 'indian', 'arabic', 'russian', 'egyptian', 'viking', 'norse', 'celtic', 'mayan', 'aztec',
  'inca', 'african', 'american', 'european', 'asian', 'british', 'irish', 'scottish', 'welsh', 'mexican',
  'brazilian', 'canadian', 'australian', 'persian', 'ottoman', 'byzantine', 'mongol', 'renaissance', 'victorian',
  'christian', 'jewish', 'islamic', 'muslim', 'buddhist', 'hindu', 'arctic', 'antarctic', 'atlantic', 'pacific',
  'mediterranean', 'amazon', 'sahara', 'himalayan', 'alpine', 'nordic', 'scandinavian', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'april', 'june', 'july',
  'august', 'september', 'october', 'november', 'december', 'mercury', 'venus', 'earth', 'mars', 'jupiter',
  'saturn', 'uranus', 'neptune', 'pluto', 'christmas', 'easter', 'halloween', 'god', 'internet',
  'paris', 'london', 'rome', 'athens', 'tokyo', 'kyoto', 'berlin', 'madrid', 'venice', 'florence', 'egypt', 'china',
  'japan', 'india', 'france', 'italy', 'spain', 'germany', 'greece', 'mexico', 'brazil', 'canada', 'australia',
  'africa', 'europe', 'asia', 'america', 'iceland', 'antarctica', 'hawaii', 'alaska', 'texas', 'california',
  'amsterdam', 'vienna', 'prague', 'lisbon', 'barcelona', 'istanbul', 'cairo', 'beijing', 'shanghai', 'moscow',
  'dubai', 'sydney', 'chicago', 'boston', 'seattle', 'scotland', 'ireland', 'wales', 'england', 'britain', 'norway',
  'sweden', 'finland', 'denmark', 'peru', 'chile', 'argentina', 'kenya', 'nigeria', 'korea', 'vietnam', 'thailand',
  'indonesia', 'bitcoin', 'python', 'javascript', 'linux', 'google', 'tesla', 'shakespeare', 'einstein', 'newton',
  'darwin', 'napoleon', 'cleopatra', 'beethoven', 'mozart', 'picasso', 'leonardo', 'lincoln',
]);
// Endings that mark a common noun ("photosynthesis", "inflation", "meditation"), for single-word topics.
const COMMON_ENDING = /(?:tion|sion|ment|ness|ity|ism|ology|ography|ics|ance|ence|ship|hood|sis|ing|ture|phy|ism|ery|age|als|ers|oes|ies|ants|ents)$/;
const NOT_GERUND = new Set(['king', 'ring', 'spring', 'string', 'thing', 'wing', 'swing', 'sting', 'beijing', 'nothing', 'something', 'everything', 'viking', 'reading', 'sterling', 'ming', 'ceiling', 'morning', 'evening', 'pudding', 'wedding', 'building', 'painting', 'clothing']);

const SENTENCE_END = /[\s.!?…;:,]+$/u;
const WRAPPING_QUOTES = /^(["'“‘«])(.*)(["'”’»])$/su;

function words(text: string): string[] {
  return text.split(' ').filter(Boolean);
}

/** "word" as written and its letters only, lower-cased, for the lookup sets. */
function bare(word: string): string {
  return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}']+$/gu, '').replace(/’/g, "'");
}

/** Upper-case only at its first letter: "Volcanoes", "The". "NASA", "iPhone", "McDonald's" and "paris" are not. */
function initialCapOnly(word: string): boolean {
  return /^\p{Lu}[\p{Ll}'’-]*[.,!?:;]?$/u.test(word);
}

export function isAcronym(word: string): boolean {
  return /\p{Lu}.*\p{Lu}/u.test(word) || /^\p{Ll}+\p{Lu}/u.test(word);
}

function isGerund(w: string): boolean {
  return w.length >= 5 && w.endsWith('ing') && !NOT_GERUND.has(w);
}

/**
 * The topic as it reads mid-sentence: its first word lower-cased when it is capitalised only because it comes first
 * (a function word, an instruction's verb, a gerund, a common-noun ending, or the first of a sentence-cased phrase),
 * and kept when it looks like a name: an acronym, a possessive, a known proper noun, or a word of a Title Cased topic.
 */
export function midSentence(text: string): string {
  const all = words(text);
  // Leading symbols ("🎉 Party planning", "#1 Tips") are kept as they are; the first word with letters is cased.
  const at = all.findIndex((w) => /\p{L}/u.test(w));
  if (at < 0) return text;
  const lead = all.slice(0, at);
  const ws = all.slice(at);
  const [first, ...rest] = ws;
  const lowered = (f: string, r: string[]) => [...lead, f.charAt(0).toLowerCase() + f.slice(1), ...r].join(' ');
  if (!initialCapOnly(first!)) return text;
  const w = bare(first!);
  if (PROPER.has(w) || /'s$/.test(w)) return text;
  if (FUNCTION_WORDS.has(w)) return lowered(first!, rest);
  // A Title Cased topic ("Black Holes", "Gone With The Wind") is a title: its words keep their capitals.
  // Names inside a sentence-cased topic ("Learning Spanish", "A week in Paris") do not make it a title.
  const titleCased = rest.some((r) => /^\p{Lu}/u.test(r) && !isAcronym(r) && !PROPER.has(bare(r)));
  if (titleCased) return text;
  const common = IMPERATIVES.has(w) || COMMON_WORDS.has(w) || isGerund(w) || COMMON_ENDING.test(w) || rest.length > 0;
  return common ? lowered(first!, rest) : text;
}


export function capitalise(text: string): string {
  const i = text.search(/\p{L}/u);
  // "iPhone", "eBay": a brand's own casing is not a sentence start to fix.
  if (i < 0 || /^\p{Ll}+\p{Lu}/u.test(text.slice(i))) return text;
  return text.slice(0, i) + text.charAt(i).toUpperCase() + text.slice(i + 1);
}

/** Spacing collapsed, wrapping quotes and end punctuation removed; whether it ended with a question mark. */
export function tidyTopic(raw: string): { text: string; asked: boolean } {
  let text = raw.replace(/\s+/g, ' ').trim();
  const quoted = WRAPPING_QUOTES.exec(text);
  if (quoted) text = quoted[2]!.trim();
  const asked = /\?[\s.!?…]*$/u.test(text);
  text = text.replace(SENTENCE_END, '');
  return { text, asked };
}

const PLURAL_WORKS = /^(work|function|operate|happen|form|grow|fly|move|change|evolve)$/;
const SINGULAR_WORKS = /^(works|functions|operates|happens|forms|grows|flies|moves|changes|evolves)$/;

const OPENS_QUESTION = new Set(['is', 'are', 'was', 'were', 'does', 'did', 'can', 'could', 'should', 'would', 'has', 'have']);

export function readTopic(raw: string): Topic {
  const title = tidyTopic(raw);
  // Pictographs stay on the card's title but are not said: a narrator would read "party popper" aloud.
  const { text, asked } = tidyTopic(raw.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, ' '));
  // Nothing to say it with ("???", "🎉"): the card shows it as typed and the sentences speak of it generically.
  if (!/[\p{L}\p{N}]/u.test(text)) {
    return { title: raw.replace(/\s+/g, ' ').trim(), shape: { kind: 'thing', subject: 'this topic' } };
  }
  const ws = words(text);
  const lower = ws.map(bare);

  const shown = capitalise(title.text);
  // "How to X": an instruction.
  if (lower[0] === 'how' && lower[1] === 'to' && ws.length > 2) {
    return { title: shown, shape: { kind: 'action', action: ws.slice(2).join(' ') } };
  }
  // "How X works" / "How does X work?": the mechanism of a subject.
  if (lower[0] === 'how' && ws.length >= 3) {
    const verb = lower.at(-1)!;
    if ((lower[1] === 'does' || lower[1] === 'do') && PLURAL_WORKS.test(verb) && ws.length >= 4) {
      const subject = midSentence(ws.slice(2, -1).join(' '));
      return { title: `${shown}?`, shape: { kind: 'works', subject, plural: lower[1] === 'do' } };
    }
    if (!AUX.has(lower[1]!) && (PLURAL_WORKS.test(verb) || SINGULAR_WORKS.test(verb))) {
      return { title: shown, shape: { kind: 'works', subject: midSentence(ws.slice(1, -1).join(' ')), plural: PLURAL_WORKS.test(verb) } };
    }
  }
  // Questions: a question mark, a question word and an auxiliary ("Why is the sky blue"), or an opening auxiliary.
  const wh = WH.has(lower[0] ?? '') && AUX.has(lower[1] ?? '');
  if (asked || wh || (OPENS_QUESTION.has(lower[0] ?? '') && ws.length > 2)) {
    // "What is inflation?" and "Who was Cleopatra?" name their subject: the rest after the verb.
    const names = (lower[0] === 'what' || lower[0] === 'who') && /^(is|are|was|were)$/.test(lower[1] ?? '') && ws.length > 2;
    const question = `${capitalise(text)}?`;
    return { title: `${shown}?`, shape: { kind: 'question', question, subject: names ? midSentence(ws.slice(2).join(' ')) : null } };
  }
  if (IMPERATIVES.has(lower[0] ?? '') && ws.length >= 2) {
    return { title: shown, shape: { kind: 'action', action: midSentence(text) } };
  }
  return { title: shown, shape: { kind: 'thing', subject: midSentence(text) } };
}
