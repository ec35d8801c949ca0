import { describe, expect, it } from 'vitest';
import { cardText, keyPhraseFrom, repeatsSentence } from '@/lib/providers/local/key-phrase';
import { planLocally } from '@/lib/providers/local/plan';
import { readTopic } from '@/lib/providers/local/topic';
import type { PlanRequest } from '@/lib/providers/types';

// Every shape of topic a user types: questions with and without their mark, "how X works", instructions, gerunds,
// noun phrases in every casing, acronyms, names, trailing punctuation and quotes. `names` lists the capitalised words
// that may stand mid-sentence (anything else capitalised there is a topic word that kept its sentence-start capital).
const topics: { topic: string; names?: string[] }[] = [
  { topic: 'How do bees make honey?' },
  { topic: 'How volcanoes work' },
  { topic: 'How a bicycle works' },
  { topic: 'How does a heat pump work?' },
  { topic: 'Why is the sky blue?' },
  { topic: 'why do cats purr' },
  { topic: 'What is inflation?' },
  { topic: 'What are black holes??' },
  { topic: 'Who was Cleopatra?', names: ['Cleopatra'] },
  { topic: 'Is Pluto a planet', names: ['Pluto'] },
  { topic: 'Can dogs see colour?' },
  { topic: 'The Roman Empire', names: ['Roman', 'Empire'] },
  { topic: 'black holes' },
  { topic: 'Black Holes', names: ['Black', 'Holes'] },
  { topic: 'Photosynthesis' },
  { topic: 'Volcanoes!' },
  { topic: '  climate   change.  ' },
  { topic: 'Healthy sleep habits' },
  { topic: 'Learn to bake sourdough' },
  { topic: 'How to tie a tie' },
  { topic: 'Plant a vegetable garden' },
  { topic: 'Baking bread at home' },
  { topic: 'Learning Spanish', names: ['Spanish'] },
  { topic: 'NASA', names: ['NASA'] },
  { topic: 'DNA replication', names: ['DNA'] },
  { topic: 'AI in medicine', names: ['AI'] },
  { topic: 'iPhone photography', names: ['iPhone'] },
  { topic: 'Paris', names: ['Paris'] },
  { topic: 'Paris in spring', names: ['Paris'] },
  { topic: "Einstein's theory of relativity", names: ["Einstein's"] },
  { topic: 'Mars exploration', names: ['Mars'] },
  { topic: '"The Great Gatsby"', names: ['Great', 'Gatsby'] },
  { topic: 'Gone With The Wind', names: ['Gone', 'With', 'The', 'Wind'] },
  { topic: 'about time' },
  { topic: 'the history of jazz' },
  { topic: 'A beginner’s guide to chess' },
  { topic: 'How How works' },
  { topic: 'Works of art' },
  { topic: 'Über Größe', names: ['Über', 'Größe'] },
  { topic: 'Coffee' },
  { topic: 'C++ for beginners' },
  { topic: '3D printing' },
  { topic: 'the 1960s' },
  { topic: '🎉 Party planning' },
  { topic: '???' },
];

const sceneCounts = [1, 2, 4, 7, 12];
const description = 'Bees visit flowers, collecting nectar; they carry it home in a special stomach. ' +
  'Inside the hive, workers pass it mouth to mouth and fan it dry! Is that all? no';

function request(topic: string, sceneCount: number, desc: string | null = null): PlanRequest {
  return { topic, description: desc, sceneCount, aspectRatio: '16:9', resolution: '720p', language: 'en', script: null };
}

/** Sentences as a reader meets them: split after end punctuation (and any closing quote) followed by a space. */
function sentencesOf(narration: string): string[] {
  return narration.split(/(?<=[.!?…]["'”’»)]*)\s+/u);
}

function problemsIn(narration: string, names: Set<string>): string[] {
  const problems: string[] = [];
  if (/[?!]\s*[.,]|\.\s*[.,]|,\s*[.?!]/u.test(narration.replace(/\.\.\./g, '…'))) problems.push('punctuation pile-up');
  for (const sentence of sentencesOf(narration)) {
    if (!/\p{L}/u.test(sentence)) problems.push(`empty sentence "${sentence}"`);
    if (!/[.!?…]["'”’»)]*$/u.test(sentence)) problems.push(`no terminal punctuation: "${sentence}"`);
    if (!/^["'“‘«¿¡(]*\p{Lu}/u.test(sentence)) problems.push(`starts lower-case: "${sentence}"`);
    const words = sentence.split(/\s+/);
    words.forEach((word, i) => {
      const bare = word.replace(/^[^\p{L}]+|[^\p{L}'’]+$/gu, '');
      if (i > 0 && bare.toLowerCase() === words[i - 1]!.replace(/^[^\p{L}]+|[^\p{L}'’]+$/gu, '').toLowerCase() && bare) {
        problems.push(`doubled word "${words[i - 1]} ${word}"`);
      }
      // A capital mid-sentence must be a name, an acronym, or "I".
      const mid = i > 0;
      if (mid && /^\p{Lu}\p{Ll}/u.test(bare) && !names.has(bare) && bare !== 'I') problems.push(`capitalised "${bare}" mid-sentence`);
    });
  }
  return problems;
}

describe('planLocally writes sentences around any topic', () => {
  it.each(topics)('$topic', ({ topic, names = [] }) => {
    const allowed = new Set(names);
    for (const count of sceneCounts) {
      for (const desc of [null, description]) {
        const scenes = planLocally(request(topic, count, desc));
        expect(scenes).toHaveLength(count);
        for (const [i, scene] of scenes.entries()) {
          const where = `${topic} / ${count} scenes / scene ${i} / ${desc ? 'with' : 'no'} description: ${scene.narration}`;
          expect(problemsIn(scene.narration, allowed), where).toEqual([]);
          expect(scene.durationMs).toBeGreaterThanOrEqual(3000);
          const card = cardText({ sceneIndex: i, topic, visualPrompt: scene.visualPrompt, narration: scene.narration });
          if (i === 0) {
            expect(card.headline, where).toBe(readTopic(topic).title);
            expect(card.headline.startsWith(' ')).toBe(false);
            // The line under the title is on screen with the first caption too.
            expect(repeatsSentence(card.kicker, scene.narration), where).toBe(false);
          } else {
            // Every scene card has a phrase of its own; falling back to the topic would mean the phrase was lost.
            expect(card.headline, where).not.toBe(readTopic(topic).title);
            const words = card.headline.split(' ').length;
            expect(words, where).toBeGreaterThanOrEqual(2);
            expect(words, where).toBeLessThanOrEqual(6);
          }
          // The captions say the sentence; the card never shows a whole one.
          expect(repeatsSentence(card.headline, scene.narration), where).toBe(false);
          expect(card.headline).not.toMatch(/Scene \d+ of \d+/);
        }
      }
    }
  });

  it('is deterministic and uses the description sentences verbatim, in order', () => {
    const a = planLocally(request('How do bees make honey?', 5, description));
    expect(planLocally(request('How do bees make honey?', 5, description))).toEqual(a);
    expect(a[0]!.narration).toBe("Today's question: how do bees make honey? Let's find out. Bees visit flowers, collecting nectar; they carry it home in a special stomach.");
    expect(a[1]!.narration).toContain('Inside the hive, workers pass it mouth to mouth and fan it dry!');
    expect(a[2]!.narration).toContain('Is that all?');
    expect(a[3]!.narration).toContain('No.');
    expect(a[4]!.narration).toBe('And now you know the answer. Thanks for watching.');
  });

  it('phrases each shape of topic as English, not pasted in', () => {
    const first = (topic: string) => planLocally(request(topic, 3))[0]!.narration;
    const last = (topic: string) => planLocally(request(topic, 3))[2]!.narration;
    expect(first('How do bees make honey?')).toBe("Today's question: how do bees make honey? Let's find out.");
    expect(first('How volcanoes work')).toBe("Ever wondered how volcanoes work? Let's find out.");
    expect(last('How volcanoes work')).toBe("And that's how volcanoes work. Thanks for watching.");
    expect(first('How does a heat pump work?')).toBe("Ever wondered how a heat pump works? Let's find out.");
    expect(first('Learn to bake sourdough')).toBe("Want to learn to bake sourdough? Here's how.");
    expect(last('Learn to bake sourdough')).toBe("Now you're ready to bake sourdough. Good luck, and thanks for watching.");
    expect(first('The Roman Empire')).toBe("Let's take a look at the Roman Empire.");
    expect(first('Photosynthesis')).toBe("Let's take a look at photosynthesis.");
    expect(first('Paris')).toBe("Let's take a look at Paris.");
    expect(first('NASA')).toBe("Let's take a look at NASA.");
    expect(last('What is inflation?')).toBe("That's inflation in a nutshell. Thanks for watching.");
    // Emoji stay on the title card but are not read out; a topic of symbols alone is spoken of generically.
    expect(first('🎉 Party planning')).toBe("Let's take a look at party planning.");
    expect(readTopic('🎉 Party planning').title).toBe('🎉 Party planning');
    expect(first('???')).toBe("Let's take a look at this topic.");
  });

  it('keeps the key phrases of the cards short and never a whole narration sentence', () => {
    const scenes = planLocally(request('Coral reefs', 4, 'Reefs are alive. Corals are tiny animals that build limestone skeletons together over centuries.'));
    const cards = scenes.map((s, i) => cardText({ sceneIndex: i, topic: 'Coral reefs', visualPrompt: s.visualPrompt, narration: s.narration }));
    expect(cards.map((c) => c.headline)).toEqual(['Coral reefs', 'Corals are tiny animals', 'Worth knowing', 'In a nutshell']);
    expect(cards[0]!.kicker).toBe('A short guide');
  });
});

describe('planLocally with the user\'s own script', () => {
  const script = [
    '¿Cómo funcionan los volcanes? El magma sube desde el manto.',
    'La lava sale por el cráter: 1.200 °C, ¡y 100% peligrosa!',
    'Fin.',
  ];

  it('narrates exactly the paragraphs and only writes the cards', () => {
    const scenes = planLocally({ ...request('Volcanes', 7, 'ignored'), script });
    expect(scenes.map((s) => s.narration)).toEqual(script);
    const cards = scenes.map((s, i) => cardText({ sceneIndex: i, topic: 'Volcanes', visualPrompt: s.visualPrompt, narration: s.narration }));
    // The first sentence is said in full, so the kicker is cut short of it.
    expect(cards[0]).toEqual({ headline: 'Volcanes', kicker: 'Cómo funcionan' });
    expect(cards[1]!.headline).toBe('La lava sale por el cráter');
    // A paragraph too short to quote from shows the topic rather than repeating itself.
    expect(cards[2]!.headline).toBe('Volcanes');
    expect(planLocally({ ...request('Volcanes', 7, 'ignored'), script })).toEqual(scenes);
  });
});

describe('cardText', () => {
  it('reads the quoted words, else a phrase of the prompt, else of the narration', () => {
    expect(cardText({ sceneIndex: 2, topic: 't', visualPrompt: 'Card: “Magma rises” set large.', narration: 'x y z.' }).headline).toBe('Magma rises');
    expect(cardText({ sceneIndex: 2, topic: 't', visualPrompt: 'A watercolour lighthouse at dusk, view 2', narration: 'n.' }).headline)
      .toBe('A watercolour lighthouse at dusk');
    expect(cardText({ sceneIndex: 2, topic: 't', visualPrompt: ' ', narration: 'Bees collect nectar from flowers and store it in the hive.' }).headline)
      .toBe('Bees collect nectar from flowers');
    expect(cardText({ sceneIndex: 0, topic: 'Bees', visualPrompt: 'edited by hand', narration: 'n.' })).toEqual({ headline: 'Bees', kicker: '' });
  });

  it('cuts key phrases where a phrase ends, in every card language', () => {
    expect(keyPhraseFrom('Los volcanes son montañas que escupen lava y ceniza.')).toBe('Los volcanes son montañas');
    expect(keyPhraseFrom('Der Vulkan ist ein Berg, aus dem Lava kommt.')).toBe('Der Vulkan ist ein Berg');
    expect(keyPhraseFrom('Short one.')).toBe('Short one');
    expect(keyPhraseFrom('Air molecules scatter blue light far more than red light.')).toBe('Air molecules scatter blue light');
  });
});
