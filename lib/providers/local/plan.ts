// Deterministic scripts from the topic and description: the same request always plans the same video.
// The topic is read for its shape first (lib/providers/local/topic.ts), so a question is asked as a question,
// "how X works" explains X, an instruction is walked through, and anything else is talked about as a thing;
// every sentence is written around the topic rather than pasting it in verbatim.
import type { PlanRequest, PlannedScene } from '@/lib/providers/types';
import { capitalise, readTopic, type Topic } from './topic';
import { keyPhraseFrom, repeatsSentence, sceneCardPrompt, sentencesOf, shortOfSentence, titleCardPrompt } from './key-phrase';

/** One scene's opening line and the key phrase its card shows when the description gives none. */
interface Beat {
  say: string;
  key: string;
}

interface Script {
  kicker: string;
  open: string;
  middle: Beat[];
  close: string;
  /** The last card's words: never "Thanks for watching", which the narration says in full. */
  closeKey: string;
}

function scriptFor(topic: Topic): Script {
  const script = phrasesFor(topic);
  const say = (s: string) => undoubled(s);
  return { ...script, open: say(script.open), close: say(script.close), middle: script.middle.map((b) => ({ ...b, say: say(b.say) })) };
}

// Small words a template can end on just before the topic begins with the same word.
const JOINING = new Set(['a', 'an', 'the', 'at', 'of', 'to', 'how', 'about', 'in', 'on', 'for', 'with', 'and']);

/**
 * A small word the template ends on and the topic starts with is said once: "a look at the the Roman Empire" cannot
 * happen, while names that repeat on purpose ("Bora Bora") stay as written.
 */
function undoubled(sentence: string): string {
  const out: string[] = [];
  for (const word of sentence.split(' ')) {
    const prev = out.at(-1);
    if (prev !== undefined && prev.toLowerCase() === word.toLowerCase() && JOINING.has(word.toLowerCase())) continue;
    out.push(word);
  }
  return out.join(' ');
}

function phrasesFor(topic: Topic): Script {
  const { shape } = topic;
  switch (shape.kind) {
    case 'question': {
      const s = shape.subject;
      return {
        kicker: 'A short explainer',
        // The question is asked inside a longer sentence, so the caption never repeats the title card word for word.
        open: `Today's question: ${lowerFirst(shape.question)} Let's find out.`,
        middle: [
          { say: 'Start with the basics.', key: 'The basics' },
          { say: 'Here is the first part of the answer.', key: 'The first clue' },
          { say: 'Now for the key step.', key: 'The key step' },
          { say: 'Here is a detail most people miss.', key: 'An overlooked detail' },
          { say: "Let's look at a real example.", key: 'A real example' },
          { say: 'Here is a common misconception.', key: 'A common misconception' },
          { say: 'Now, why this matters.', key: 'Why it matters' },
          { say: "Let's put the pieces together.", key: 'Putting it together' },
        ],
        close: s ? `That's ${s} in a nutshell. Thanks for watching.` : 'And now you know the answer. Thanks for watching.',
        closeKey: s ? 'In a nutshell' : 'Now you know',
      };
    }
    case 'works': {
      const x = shape.subject;
      return {
        kicker: 'A look inside',
        open: `Ever wondered how ${x} ${shape.plural ? 'work' : 'works'}? Let's find out.`,
        middle: [
          { say: `First, the parts that make ${x} tick.`, key: 'The moving parts' },
          { say: 'Next, what happens step by step.', key: 'Step by step' },
          { say: 'Here is the key idea.', key: 'The key idea' },
          { say: 'Now, a real example in action.', key: 'In action' },
          { say: 'Here is what can go wrong.', key: 'When things go wrong' },
          { say: 'Here is why this matters.', key: 'Why it matters' },
          { say: 'And a few surprising facts.', key: 'Surprising facts' },
        ],
        close: `And that's how ${x} ${shape.plural ? 'work' : 'works'}. Thanks for watching.`,
        closeKey: "That's how it works",
      };
    }
    case 'action': {
      const a = shape.action;
      return {
        kicker: 'Step by step',
        open: `Want to ${a}? Here's how.`,
        middle: [
          { say: 'First, gather what you need.', key: 'Gather what you need' },
          { say: 'Next, take it one step at a time.', key: 'One step at a time' },
          { say: 'Here is the step people tend to rush.', key: "Don't rush this step" },
          { say: 'Now, a tip that saves time.', key: 'A time-saving tip' },
          { say: 'Watch out for these common mistakes.', key: 'Common mistakes' },
          { say: 'Practice is what makes it stick.', key: 'Practice makes it stick' },
          { say: "Here's how to tell you're on track.", key: 'Signs of progress' },
        ],
        close: `Now you're ready to ${stripTo(a)}. Good luck, and thanks for watching.`,
        closeKey: 'Ready to begin',
      };
    }
    case 'thing': {
      const s = shape.subject;
      return {
        kicker: 'A short guide',
        open: `Let's take a look at ${s}.`,
        middle: [
          { say: `First, the basics of ${s}.`, key: 'The basics' },
          { say: 'Here is what makes this worth knowing.', key: 'Worth knowing' },
          { say: 'Some of the facts might surprise you.', key: 'Surprising facts' },
          { say: 'Now, a little history.', key: 'A little history' },
          { say: 'Here is why this matters today.', key: 'Why it matters' },
          { say: `Next, the people and ideas behind ${s}.`, key: 'People and ideas' },
          { say: 'Here are some common questions.', key: 'Common questions' },
          { say: 'And a few common misunderstandings.', key: 'Common misunderstandings' },
          { say: 'Finally, what comes next.', key: 'What comes next' },
        ],
        close: `That's ${s} in a nutshell. Thanks for watching.`,
        closeKey: 'In a nutshell',
      };
    }
  }
}

function lowerFirst(question: string): string {
  // "How do bees make honey?" after a colon: the question word is lower-cased, a name or acronym is not.
  const [first = '', ...rest] = question.split(' ');
  const keep = !/^\p{Lu}\p{Ll}*$/u.test(first) || !/^(how|why|what|when|where|who|which|whose|is|are|was|were|do|does|did|can|could|should|would|will|has|have)$/i.test(first);
  return keep ? question : [first.toLowerCase(), ...rest].join(' ');
}

/** "learn to bake sourdough" -> "bake sourdough": "ready to learn to" reads badly. */
function stripTo(action: string): string {
  return action.replace(/^learn (?:how )?to /i, '');
}

/** Roughly the time a narrator needs for the words, between 3 and 8 seconds. */
export function narrationMs(narration: string): number {
  const words = narration.split(/\s+/).filter(Boolean).length;
  return Math.round(Math.min(8, Math.max(3, words / 2.6)) * 1000);
}

/**
 * The description sentence's key phrase, or the beat's own when the sentence is so short that its phrase would be
 * the whole sentence (which the captions already show).
 */
function keyFor(detail: string, fallback: string, narration: string): string {
  const fromDetail = detail ? keyPhraseFrom(detail) : '';
  return fromDetail.split(' ').length >= 2 && !repeatsSentence(fromDetail, narration) ? fromDetail : fallback;
}

function scene(narration: string, visualPrompt: string): PlannedScene {
  return { narration, visualPrompt, durationMs: narrationMs(narration) };
}

/** The user's own paragraphs, narrated verbatim: only the cards' words are written, from each paragraph. */
function planFromScript(topic: Topic, paragraphs: string[]): PlannedScene[] {
  return paragraphs.map((paragraph, i) => {
    const phrase = shortOfSentence(keyPhraseFrom(paragraph), paragraph);
    return scene(paragraph, i === 0 ? titleCardPrompt(topic.title, phrase) : sceneCardPrompt(phrase || topic.title));
  });
}

export function planLocally(req: PlanRequest): PlannedScene[] {
  const topic = readTopic(req.topic);
  if (req.script && req.script.length > 0) return planFromScript(topic, req.script);
  const script = scriptFor(topic);
  const details = sentencesOf(req.description ?? '').map((s) => capitalise(s.replace(/[\s,;:]+$/u, '')))
    .map((s) => (/[.!?…]["'”’»)]*$/u.test(s) ? s : `${s}.`));
  return Array.from({ length: req.sceneCount }, (_, i) => {
    const last = req.sceneCount > 1 && i === req.sceneCount - 1;
    const detail = !last && details.length ? details[i % details.length]! : '';
    if (i === 0) {
      const narration = [script.open, detail].filter(Boolean).join(' ');
      return scene(narration, titleCardPrompt(topic.title, script.kicker));
    }
    if (last) return scene(script.close, sceneCardPrompt(script.closeKey));
    const beat = script.middle[(i - 1) % script.middle.length]!;
    const narration = [beat.say, detail].filter(Boolean).join(' ');
    return scene(narration, sceneCardPrompt(keyFor(detail, beat.key, narration)));
  });
}
