import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { fieldForPath, fieldNames, isOptionField, needsCapabilities } from '@/components/generate-options';
import {
  choiceSummary, effectiveChoice, hasVoice, languagesFor, needsOwnScript, ownScriptReason, unavailableHint, type GenerationChoice,
} from '@/components/generation-choices';
import { GenerationOptions, optionsSummary } from '@/components/generation-options';
import type { Capabilities } from '@/lib/videos/capabilities';
import { capabilities as serverCapabilities } from '@/lib/videos/capabilities';

// What a server with no keys answers, built by the same code as GET /api/capabilities.
const bare: Capabilities = serverCapabilities({
  provider: 'local', motion: 'kenburns', openai: { apiKey: undefined }, runway: { apiKey: undefined },
} as Parameters<typeof serverCapabilities>[0]);

// A made-up server, so the tests show the form follows whatever the server says, not a list of its own.
const caps: Capabilities = {
  providers: [
    { name: 'local', available: true, reason: null, code: null },
    { name: 'openai', available: true, reason: null, code: null },
  ],
  motions: [
    { name: 'kenburns', available: true, reason: null, code: null },
    { name: 'runway', available: false, reason: null, code: null },
  ],
  voices: { local: ['ava', 'leo'], openai: ['alloy', 'nova', 'onyx'] },
  languages: [
    { code: 'en', name: 'English', providers: ['local', 'openai'], plannedBy: ['local', 'openai'] },
    { code: 'de', name: 'Deutsch', providers: ['local', 'openai'], plannedBy: ['openai'] },
    { code: 'it', name: 'Italiano', providers: ['openai'], plannedBy: ['openai'] },
  ],
  music: ['none', 'calm', 'pulse'],
  defaults: { provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3 },
};

const noop = () => {};
const render = (choice: GenerationChoice, c: Capabilities = caps, errors = {}) =>
  renderToStaticMarkup(<GenerationOptions capabilities={c} loadFailed={false} choice={choice} errors={errors} onChange={noop} />);
const options = (html: string, name: string) => {
  const select = html.match(new RegExp(`<select id="field-${name}"[^>]*>(.*?)</select>`))?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>(.*?)<\/option>/g)].map((m) => [m[1], m[2]]);
};

describe('options summary', () => {
  it('names provider and motion, the voice only when there is one, the language unless English, music when on', () => {
    expect(choiceSummary({ provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'none' })).toBe(
      'Local · Ken Burns · Ava',
    );
    expect(choiceSummary({ provider: 'openai', motion: 'runway', voice: 'nova', language: 'es', music: 'calm', burnCaptions: true })).toBe(
      'OpenAI · Runway · Nova · Español · calm music · captions',
    );
    // A local video made before the local engine spoke still says "alloy": it had no voice, so none is named.
    expect(hasVoice('local', 'alloy')).toBe(false);
    expect(choiceSummary({ provider: 'local', motion: 'kenburns', voice: 'alloy' })).toBe('Local · Ken Burns');
    expect(choiceSummary({ provider: 'openai', motion: 'kenburns', voice: null })).toBe('OpenAI · Ken Burns');
    // Unknown names (a newer server, an older video) are shown as they came.
    expect(choiceSummary({ provider: 'acme', motion: 'constructor', voice: '' })).toBe('acme · constructor');
  });

  it('says what happens before and without capabilities', () => {
    expect(optionsSummary(null, false)).toBe('Loading…');
    expect(optionsSummary(null, true)).toBe('Server defaults');
  });

  it("starts from the server's defaults and keeps the person's changes", () => {
    expect(effectiveChoice(undefined, { provider: 'openai' })).toBeNull();
    expect(effectiveChoice(caps, {})).toEqual({
      provider: 'local', motion: 'kenburns', voice: 'ava', language: 'en', music: 'calm', musicVolume: 0.3, burnCaptions: false,
    });
    expect(effectiveChoice(caps, { voice: 'leo', burnCaptions: true, music: 'none' })).toMatchObject({ voice: 'leo', burnCaptions: true, music: 'none' });
  });

  it('keeps the voice and language to what the chosen provider has', () => {
    // A local voice doesn't follow the person to OpenAI, whose first voice speaks instead.
    expect(effectiveChoice(caps, { voice: 'leo', provider: 'openai' })).toMatchObject({ voice: 'alloy' });
    // Italian is narrated only by OpenAI here: back on the local engine the server's default language applies.
    expect(effectiveChoice(caps, { provider: 'openai', language: 'it' })).toMatchObject({ language: 'it' });
    expect(effectiveChoice(caps, { provider: 'local', language: 'it' })).toMatchObject({ language: 'en' });
    // A bed the server doesn't offer falls back to its default.
    expect(effectiveChoice(caps, { music: 'bright' })).toMatchObject({ music: 'calm' });
  });

  it('asks for the person’s own script when the provider cannot write in the language, and says why in words', () => {
    expect(languagesFor(caps, 'local').map((l) => l.code)).toEqual(['en', 'de']);
    expect(languagesFor(caps, 'openai').map((l) => l.code)).toEqual(['en', 'de', 'it']);
    expect(needsOwnScript(caps, { provider: 'local', language: 'en' })).toBe(false);
    expect(needsOwnScript(caps, { provider: 'openai', language: 'de' })).toBe(false);
    expect(needsOwnScript(caps, { provider: 'local', language: 'de' })).toBe(true);
    expect(ownScriptReason(caps, { provider: 'local', language: 'en' })).toBeNull();
    expect(ownScriptReason(caps, { provider: 'local', language: 'de' })).toBe(
      'The free local engine writes scripts in English only. For a video in Deutsch, write your own script: it will be read aloud just as you write it.',
    );
    // The real server's answer: the local engine plans English only, OpenAI every language.
    for (const l of bare.languages) {
      expect(needsOwnScript(bare, { provider: 'local', language: l.code })).toBe(l.code !== 'en');
      expect(needsOwnScript(bare, { provider: 'openai', language: l.code })).toBe(false);
    }
  });

  it("turns the server's reasons into hints, never showing a setting's name", () => {
    expect(unavailableHint(bare.providers, (n) => n)).toBe('OpenAI isn’t set up on this server, so videos are made with the free local engine.');
    expect(unavailableHint(caps.motions, () => 'Runway')).toBe('Runway isn’t available on this server.');
    // An older server's reason that names an environment variable is said in words instead.
    const old = [{ name: 'openai', available: false, reason: 'The openai provider is not available on this server (OPENAI_API_KEY is not set).' }];
    expect(unavailableHint(old, () => 'OpenAI')).toBe('OpenAI isn’t available on this server.');
    expect(unavailableHint([{ name: 'local', available: true, reason: null }], (n) => n)).toBeNull();
  });
});

describe('options fields', () => {
  it('maps option issue paths onto their fields', () => {
    expect(fieldForPath('provider')).toBe('provider');
    expect(fieldForPath('body.motion')).toBe('motion');
    expect(fieldForPath('/voice')).toBe('voice');
    expect(fieldForPath('music')).toBe('music');
    expect(fieldForPath('musicVolume')).toBe('musicVolume');
    expect(fieldForPath('burnCaptions')).toBe('burnCaptions');
    expect(fieldForPath('providers')).toBeNull();
    expect(isOptionField('provider')).toBe(true);
    expect(isOptionField('musicVolume')).toBe(true);
    expect(isOptionField('topic')).toBe(false);
    expect(isOptionField('language')).toBe(false);
    // The language select comes from the capabilities too, though it sits outside the group.
    expect(needsCapabilities('language')).toBe(true);
    expect(needsCapabilities('script')).toBe(false);
    // Page order: the option fields come after the basics, so focus goes to the first problem.
    expect(fieldNames.indexOf('provider')).toBeGreaterThan(fieldNames.indexOf('resolution'));
    expect(fieldNames.indexOf('script')).toBeLessThan(fieldNames.indexOf('sceneCount'));
  });

  it('renders a closed group summarising the choice, with unavailable options disabled and explained in words', () => {
    const choice = effectiveChoice(bare, {}) as GenerationChoice;
    const html = render(choice, bare);
    expect(html).toMatch(/^<details class="options-group">/);
    expect(html).not.toMatch(/<details[^>]* open/);
    expect(html).toContain('Local · Ken Burns · Ava · calm music');
    expect(html).toContain('<option value="openai" disabled="">OpenAI (AI script, images and narration) — unavailable</option>');
    expect(html).toMatch(/<select id="field-provider" name="provider" aria-describedby="field-provider-hint"/);
    expect(html).toContain('<p id="field-provider-hint" class="field-hint">OpenAI isn’t set up on this server, so videos are made with the free local engine.</p>');
    expect(html).toContain('<option value="runway" disabled="">Runway (AI video clips) — unavailable</option>');
    expect(html).toContain('<input id="field-burnCaptions" type="checkbox" aria-describedby="field-burnCaptions-hint" name="burnCaptions"/>');
    expect(html).toContain('<label for="field-burnCaptions" class="field-label">Burn captions into the video</label>');
  });

  it('lists the chosen provider’s own voices, enabled, with no talk of a tone standing in for speech', () => {
    const local = render(effectiveChoice(caps, {})!);
    expect(options(local, 'voice')).toEqual([['ava', 'Ava'], ['leo', 'Leo']]);
    expect(local).not.toMatch(/<select id="field-voice"[^>]*disabled/);
    const openai = render(effectiveChoice(caps, { provider: 'openai' })!);
    expect(options(openai, 'voice')).toEqual([['alloy', 'Alloy'], ['nova', 'Nova'], ['onyx', 'Onyx']]);
    for (const html of [local, openai]) {
      expect(html).not.toMatch(/tone|Only the OpenAI provider speaks/i);
    }
    // The real server: the local engine's four offline voices.
    expect(options(render(effectiveChoice(bare, {})!, bare), 'voice').map(([v]) => v)).toEqual(bare.voices.local);
  });

  it('offers the server’s music beds, with "No music" for none, and a 0–1 volume slider only when a bed plays', () => {
    const calm = render(effectiveChoice(caps, { musicVolume: 0.45 })!);
    expect(options(calm, 'music')).toEqual([['none', 'No music'], ['calm', 'Calm'], ['pulse', 'Pulse']]);
    expect(calm).toMatch(/<select id="field-music" name="music"[^>]*>/);
    expect(calm).toContain('<option value="calm" selected="">Calm</option>');
    expect(calm).toContain(
      '<input id="field-musicVolume" aria-describedby="field-musicVolume-aside" type="range" min="0" max="1" step="0.05" aria-valuetext="45%" name="musicVolume" value="0.45"/>',
    );
    expect(calm).toContain('<output for="field-musicVolume">45%</output>');
    const none = render(effectiveChoice(caps, { music: 'none' })!);
    expect(none).toContain('<option value="none" selected="">No music</option>');
    expect(none).not.toContain('musicVolume');
    expect(none).not.toContain('type="range"');
  });

  it('flags errors in the summary', () => {
    const choice: GenerationChoice = {
      provider: 'openai', motion: 'kenburns', voice: 'nova', language: 'de', music: 'none', musicVolume: 0.3, burnCaptions: true,
    };
    const html = render(choice, caps, { provider: 'Not on <this> server.' });
    expect(html).toContain('OpenAI · Ken Burns · Nova · Deutsch · captions');
    expect(html).toContain('Needs attention');
    expect(html).toContain('<select id="field-provider" name="provider" aria-describedby="field-provider-error" aria-invalid="true">');
    expect(html).toContain('Not on &lt;this&gt; server.');
  });

  it('has no controls until the capabilities arrive', () => {
    const html = renderToStaticMarkup(
      <GenerationOptions capabilities={undefined} loadFailed choice={null} errors={{}} onChange={noop} />,
    );
    expect(html).not.toContain('<select');
    expect(html).toContain('Server defaults');
    expect(html).toContain('will use its defaults');
  });
});
