// The Generate form's language, script mode, voice, music and review, as rendered markup: everything it
// offers comes from /api/capabilities, and nothing it says names an environment variable.
import { renderToStaticMarkup } from 'react-dom/server';
import { SWRConfig } from 'swr';
import { describe, expect, it } from 'vitest';
import { GenerateForm } from '@/components/generate-form';
import { fieldsOnPage, placeIssues, requestBody, scriptProblem, scriptStats, tooLongMessage, validate, type FormValues } from '@/components/generate-options';
import { effectiveChoice, type GenerationChoice } from '@/components/generation-choices';
import { LanguageField, ScriptField, ScriptModeField } from '@/components/script-fields';
import { capabilitiesKey } from '@/lib/swr/use-capabilities';
import { capabilities as serverCapabilities, type Capabilities } from '@/lib/videos/capabilities';
import { generateVideoRequestSchema, scriptParagraphs } from '@/lib/schemas/video';
import { withAppRouter } from '../helpers/router';

const serverCaps = (keys: { openai?: string; runway?: string } = {}): Capabilities => serverCapabilities({
  provider: 'local', motion: 'kenburns', openai: { apiKey: keys.openai }, runway: { apiKey: keys.runway },
} as Parameters<typeof serverCapabilities>[0]);
const bare = serverCaps();

const noop = () => {};
const SETTING_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b/;

function renderForm(caps: Capabilities | undefined): string {
  return renderToStaticMarkup(withAppRouter(
    <SWRConfig value={{ provider: () => new Map(), fallback: caps ? { [capabilitiesKey]: caps } : {} }}>
      <GenerateForm />
    </SWRConfig>,
  ));
}

/** Every user-visible string of the markup: text between tags and the attributes people read. */
function visibleText(html: string): string {
  const attrs = [...html.matchAll(/(?:placeholder|aria-label|title|aria-valuetext)="([^"]*)"/g)].map((m) => m[1]);
  return [html.replace(/<[^>]+>/g, ' '), ...attrs].join(' ');
}

describe('the script counter', () => {
  it('counts scenes as the API does (paragraphs split by a blank line) and characters as typed', () => {
    const script = 'One sentence.\n\n  Two, with\na line break.  \n \nThree.';
    expect(scriptStats(script)).toEqual({ scenes: 3, characters: script.length, tooLong: [] });
    expect(scriptStats(script).scenes).toBe(scriptParagraphs(script).length);
    expect(scriptStats('')).toEqual({ scenes: 0, characters: 0, tooLong: [] });
  });

  it('names each paragraph that is too long by its number', () => {
    const script = ['Short.', 'x'.repeat(601), 'Fine.', 'y'.repeat(600), 'z'.repeat(900)].join('\n\n');
    expect(scriptStats(script).tooLong).toEqual([2, 5]);
    expect(tooLongMessage([2])).toBe('Paragraph 2 is longer than 600 characters (about 40 seconds of speech). Split it with a blank line.');
    expect(tooLongMessage([2, 5])).toMatch(/^Paragraphs 2 and 5 are longer than 600 characters/);
    expect(scriptProblem(script)).toMatch(/^Paragraphs 2 and 5 are/);
  });

  it('checks the same limits as the API: not empty, at most 5,000 characters and 12 paragraphs', () => {
    expect(scriptProblem('  \n\n ')).toBe('Write your script: at least one paragraph.');
    expect(scriptProblem(Array.from({ length: 10 }, () => 'w'.repeat(499)).join('\n\n'))).toBe('Keep the script to 5,000 characters or fewer.');
    expect(scriptProblem(Array.from({ length: 13 }, (_, i) => `Scene ${i}.`).join('\n\n'))).toMatch(/at most 12 scenes, and this script has 13 paragraphs/);
    expect(scriptProblem(Array.from({ length: 12 }, (_, i) => `Scene ${i}.`).join('\n\n'))).toBeNull();
  });

  it('in script mode, checks the script and ignores the scene count and description it replaces', () => {
    const values: FormValues = {
      topic: 'Bees', description: 'd'.repeat(3000), ownScript: true, script: '', sceneCount: 'many', aspectRatio: '16:9', resolution: '720p', review: false,
    };
    expect(validate(values, { scriptMode: true })).toEqual({ script: 'Write your script: at least one paragraph.' });
    expect(validate({ ...values, script: 'Hello.\n\nBye.' }, { scriptMode: true })).toEqual({});
    expect(Object.keys(validate(values, { scriptMode: false }))).toEqual(['description', 'sceneCount']);
  });
});

describe('script fields', () => {
  it('explains that a blank line starts a new scene and shows the live count', () => {
    const html = renderToStaticMarkup(<ScriptField value={'Bees dance.\n\nHoney is sweet.'} onChange={noop} />);
    expect(html).toContain('A blank line starts a new scene');
    expect(html).toContain('<span id="field-script-aside" class="field-aside"><span>2 scenes · 28 / 5,000 characters</span></span>');
    expect(html).toMatch(/<textarea id="field-script" name="script" aria-describedby="field-script-aside field-script-hint"/);
    expect(html).not.toContain('script-too-long');
  });

  it('flags an over-long paragraph by number and an over-long script in the counter', () => {
    const long = renderToStaticMarkup(<ScriptField value={`Intro.\n\n${'a'.repeat(700)}`} onChange={noop} />);
    expect(long).toContain('<span class="script-too-long"> Paragraph 2 is longer than 600 characters');
    const huge = renderToStaticMarkup(<ScriptField value={'b'.repeat(5001)} onChange={noop} />);
    expect(huge).toContain('<span class="count-over">1 scene · 5,001 / 5,000 characters</span>');
  });

  it('when the language leaves no choice, locks the script mode on and says why', () => {
    const reason = 'The free local engine writes scripts in English only. For a video in Español, write your own script.';
    const locked = renderToStaticMarkup(<ScriptModeField ownScript={false} lockedReason={reason} onChange={noop} />);
    expect(locked).toContain('<input type="radio" id="script-mode-planned" disabled="" name="ownScript" value="planned"/>');
    expect(locked).toContain('<input type="radio" id="script-mode-own" name="ownScript" checked="" value="own"/>');
    expect(locked).toContain(`<p id="script-mode-reason" class="field-hint script-mode-reason" role="status">${reason}</p>`);
    expect(locked).toContain('aria-describedby="script-mode-reason"');
    const free = renderToStaticMarkup(<ScriptModeField ownScript={false} lockedReason={null} onChange={noop} />);
    expect(free).toContain('<input type="radio" id="script-mode-planned" name="ownScript" checked="" value="planned"/>');
    expect(free).not.toContain('disabled');
  });

  it('offers the languages the server narrates in with the chosen provider', () => {
    const langs = (html: string) => [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    const local = renderToStaticMarkup(<LanguageField capabilities={bare} choice={effectiveChoice(bare, {})!} onChange={noop} />);
    expect(langs(local)).toEqual(bare.languages.filter((l) => l.providers.includes('local')).map((l) => l.code));
    expect(local).toContain('<option value="es">Español</option>');
    // Another server's list is followed as it comes: nothing is hard-coded in the form.
    const few: Capabilities = { ...bare, languages: [
      { code: 'en', name: 'English', providers: ['local', 'openai'], plannedBy: ['local', 'openai'] },
      { code: 'pt', name: 'Português', providers: ['openai'], plannedBy: ['openai'] },
    ] };
    const choice: GenerationChoice = { ...effectiveChoice(few, {})!, provider: 'openai', voice: 'alloy', language: 'pt' };
    const html = renderToStaticMarkup(<LanguageField capabilities={few} choice={choice} onChange={noop} />);
    expect(langs(html)).toEqual(['en', 'pt']);
    expect(html).toContain('<option value="pt" selected="">Português</option>');
    expect(langs(renderToStaticMarkup(<LanguageField capabilities={few} choice={effectiveChoice(few, {})!} onChange={noop} />))).toEqual(['en']);
  });
});

describe('the Generate form', () => {
  it('starts on the planned script with a scene count, and offers language, script mode, voice, music and review', () => {
    const html = renderForm(bare);
    expect(html).toMatch(/<select id="field-language" name="language"/);
    expect(html).toContain('Write my own script');
    expect(html).toContain('<textarea id="field-description"');
    expect(html).not.toContain('id="field-script"');
    expect(html).toContain('<input id="field-sceneCount"');
    expect(html).toMatch(/<select id="field-voice" name="voice"/);
    expect(html).toMatch(/<select id="field-music" name="music"/);
    expect(html).toContain('type="range"');
    expect(html).toContain('<label for="field-review" class="field-label">Let me review the script before rendering</label>');
    expect(html).toContain('Local · Ken Burns · Ava · calm music');
  });

  it('says nothing in environment-variable names, with or without keys and before the capabilities load', () => {
    for (const caps of [bare, serverCaps({ openai: 'sk-x', runway: 'rk-x' }), undefined]) {
      const text = visibleText(renderForm(caps));
      expect(text).not.toMatch(SETTING_NAME);
    }
    // The check itself catches one.
    expect(visibleText('<p>OPENAI_API_KEY is not set</p>')).toMatch(SETTING_NAME);
  });

  it('locks the script mode on when the server’s default language is one its default provider cannot write', () => {
    const html = renderForm({ ...bare, defaults: { ...bare.defaults, language: 'es' } });
    expect(html).toContain('<option value="es" selected="">Español</option>');
    expect(html).toContain('<textarea id="field-script"');
    expect(html).not.toContain('id="field-description"');
    // The paragraph count decides the scenes: no scene-count control.
    expect(html).not.toContain('id="field-sceneCount"');
    expect(html).toContain('The free local engine writes scripts in English only. For a video in Español, write your own script');
  });
});

describe('the request the form sends', () => {
  const values: FormValues = {
    topic: ' Bees ', description: ' For kids. ', ownScript: false, script: 'Ignored.', sceneCount: '5', aspectRatio: '9:16', resolution: '1080p', review: true,
  };
  const choice: GenerationChoice = { ...effectiveChoice(bare, {})!, language: 'en', voice: 'leo', music: 'pulse', musicVolume: 0.55 };

  it('carries the planned script’s fields and every option, and the API accepts it as sent', () => {
    const body = requestBody(values, choice, { scriptMode: false });
    expect(body).toEqual({
      topic: 'Bees', description: 'For kids.', sceneCount: 5, aspectRatio: '9:16', resolution: '1080p', review: true,
      provider: 'local', motion: 'kenburns', voice: 'leo', language: 'en', music: 'pulse', musicVolume: 0.55, burnCaptions: false,
    });
    expect(generateVideoRequestSchema.parse(body)).toMatchObject({ sceneCount: 5, review: true, music: 'pulse', musicVolume: 0.55 });
  });

  it('in script mode sends the script instead of the description and lets the paragraphs set the scene count', () => {
    const script = 'Las abejas bailan.\n\nLa miel es dulce.\n\nFin.';
    const body = requestBody({ ...values, script }, { ...choice, language: 'es' }, { scriptMode: true });
    expect(body).toMatchObject({ topic: 'Bees', script, language: 'es', review: true });
    expect(body).not.toHaveProperty('sceneCount');
    expect(body).not.toHaveProperty('description');
    expect(generateVideoRequestSchema.parse(body)).toMatchObject({ sceneCount: 3, script: 'Las abejas bailan.\n\nLa miel es dulce.\n\nFin.' });
  });

  it('before the capabilities load, leaves the options to the server’s defaults', () => {
    const body = requestBody(values, null, { scriptMode: false });
    for (const k of ['provider', 'voice', 'language', 'music', 'musicVolume']) expect(body).not.toHaveProperty(k);
    expect(generateVideoRequestSchema.safeParse(body).success).toBe(true);
  });
});

describe('the API’s issues on the page', () => {
  const planned = fieldsOnPage({ scriptMode: false, capabilities: true, music: 'calm' });
  const scripted = fieldsOnPage({ scriptMode: true, capabilities: true, music: 'none' });

  it('puts a script paragraph’s issues on the script field, joined, when the script is on the page', () => {
    const issues = [
      { path: 'script.1', message: 'Paragraph 2 has 700 characters.' },
      { path: 'script.3', message: 'Paragraph 4 has 650 characters.' },
      { path: 'language', message: 'Not here.' },
    ];
    expect(placeIssues(issues, scripted)).toEqual({
      fieldErrors: { script: 'Paragraph 2 has 700 characters. Paragraph 4 has 650 characters.', language: 'Not here.' },
      unplaced: [],
    });
  });

  it('says in the form’s message what belongs to a field that isn’t shown', () => {
    // In script mode there is no description or scene count; with no music, no volume slider; before the
    // capabilities load, no option fields or language.
    expect(placeIssues([{ path: 'sceneCount', message: 'S' }, { path: 'description', message: 'D' }, { path: 'musicVolume', message: 'V' }], scripted))
      .toEqual({ fieldErrors: {}, unplaced: ['S', 'D', 'V'] });
    expect(placeIssues([{ path: 'script', message: 'X' }], planned)).toEqual({ fieldErrors: {}, unplaced: ['X'] });
    const loading = fieldsOnPage({ scriptMode: false, capabilities: false, music: null });
    expect(placeIssues([{ path: 'language', message: 'L' }, { path: 'provider', message: 'P' }, { path: 'topic', message: 'T' }], loading))
      .toEqual({ fieldErrors: { topic: 'T' }, unplaced: ['L', 'P'] });
  });
});

describe('the form as the server renders it', () => {
  const render = (props: Parameters<typeof GenerateForm>[0]) => renderToStaticMarkup(withAppRouter(
    <SWRConfig value={{ provider: () => new Map() }}>
      <GenerateForm {...props} />
    </SWRConfig>,
  ));

  it('shows the server’s options from the capabilities the page hands it, never “Loading…”', () => {
    const html = render({ capabilities: bare });
    expect(html).toContain('Local · Ken Burns · Ava · calm music');
    expect(html).toMatch(/<select id="field-provider" name="provider"/);
    expect(html).not.toContain('Loading');
  });

  it('carries the idempotency key it was rendered with in a hidden field', () => {
    expect(render({ idempotencyKey: 'k-123' })).toContain('<input type="hidden" name="idempotencyKey" value="k-123"/>');
  });

  it('has no maxlength on the topic, and counts it only from 80% of the limit', () => {
    const html = render({ capabilities: bare });
    const input = html.match(/<input id="field-topic"[^>]*>/)?.[0];
    expect(input).toContain('name="topic"');
    expect(input).not.toMatch(/maxlength/i);
    expect(html).not.toContain('field-topic-aside');
  });
});
