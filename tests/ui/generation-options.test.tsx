import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { fieldForPath, fieldNames, isOptionField } from '@/components/generate-options';
import { choiceSummary, effectiveChoice, unavailableHint, type GenerationChoice } from '@/components/generation-choices';
import { GenerationOptions, optionsSummary } from '@/components/generation-options';
import type { Capabilities } from '@/lib/videos/capabilities';

const caps: Capabilities = {
  providers: [
    { name: 'local', available: true, reason: null },
    { name: 'openai', available: false, reason: 'OPENAI_API_KEY is not set.' },
  ],
  motions: [
    { name: 'kenburns', available: true, reason: null },
    { name: 'runway', available: false, reason: null },
  ],
  voices: { local: ['alloy', 'nova'], openai: ['alloy', 'nova'] },
  languages: [{ code: 'en', name: 'English', providers: ['local', 'openai'], plannedBy: ['local', 'openai'] }],
  music: ['none', 'calm'],
  defaults: { provider: 'local', motion: 'kenburns', voice: 'alloy', language: 'en', music: 'calm', musicVolume: 0.3 },
};

const noop = () => {};

describe('options summary', () => {
  it('names provider, motion and voice, and captions when burned in', () => {
    expect(choiceSummary({ provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false })).toBe(
      'Local · Ken Burns · alloy',
    );
    expect(choiceSummary({ provider: 'openai', motion: 'runway', voice: 'nova', burnCaptions: true })).toBe(
      'OpenAI · Runway · nova · captions',
    );
    // Unknown names (a newer server, an older video) are shown as they came.
    expect(choiceSummary({ provider: 'acme', motion: 'constructor', voice: '' })).toBe('acme · constructor');
  });

  it('says what happens before and without capabilities', () => {
    expect(optionsSummary(null, false)).toBe('Loading…');
    expect(optionsSummary(null, true)).toBe('Server defaults');
  });

  it("starts from the server's defaults and keeps the person's changes", () => {
    expect(effectiveChoice(undefined, { provider: 'openai' })).toBeNull();
    expect(effectiveChoice(caps, {})).toEqual({ provider: 'local', motion: 'kenburns', voice: 'alloy', burnCaptions: false });
    expect(effectiveChoice(caps, { voice: 'nova', burnCaptions: true })).toMatchObject({ voice: 'nova', burnCaptions: true });
  });

  it("turns the server's reasons into hints", () => {
    expect(unavailableHint(caps.providers, (n) => n)).toBe('OPENAI_API_KEY is not set.');
    expect(unavailableHint(caps.motions, () => 'Runway')).toBe('Runway isn’t available on this server.');
    expect(unavailableHint([{ name: 'local', available: true, reason: null }], (n) => n)).toBeNull();
  });
});

describe('options fields', () => {
  it('maps provider and motion issue paths onto their fields', () => {
    expect(fieldForPath('provider')).toBe('provider');
    expect(fieldForPath('body.motion')).toBe('motion');
    expect(fieldForPath('/voice')).toBe('voice');
    expect(fieldForPath('burnCaptions')).toBe('burnCaptions');
    expect(fieldForPath('providers')).toBeNull();
    expect(isOptionField('provider')).toBe(true);
    expect(isOptionField('topic')).toBe(false);
    // Page order: the option fields come after the basics, so focus goes to the first problem.
    expect(fieldNames.indexOf('provider')).toBeGreaterThan(fieldNames.indexOf('resolution'));
  });

  it('renders a closed group summarising the choice, with unavailable options disabled and explained', () => {
    const choice = effectiveChoice(caps, {}) as GenerationChoice;
    const html = renderToStaticMarkup(
      <GenerationOptions capabilities={caps} loadFailed={false} choice={choice} errors={{}} onChange={noop} />,
    );
    expect(html).toMatch(/^<details class="options-group">/);
    expect(html).not.toMatch(/<details[^>]* open/);
    expect(html).toContain('Local · Ken Burns · alloy');
    expect(html).toContain('<option value="openai" disabled="">OpenAI (AI script, images and narration) — unavailable</option>');
    expect(html).toMatch(/<select id="field-provider" name="provider" aria-describedby="field-provider-hint"/);
    expect(html).toContain('<p id="field-provider-hint" class="field-hint">OPENAI_API_KEY is not set.</p>');
    expect(html).toContain('<option value="runway" disabled="">Runway (AI video clips) — unavailable</option>');
    // The local provider has no speech: voice is disabled and the hint says why.
    expect(html).toMatch(/<select id="field-voice" name="voice" aria-describedby="field-voice-hint" disabled=""/);
    expect(html).toContain('Only the OpenAI provider speaks');
    expect(html).toContain('<input id="field-burnCaptions" type="checkbox" aria-describedby="field-burnCaptions-hint" name="burnCaptions"/>');
    expect(html).toContain('<label for="field-burnCaptions" class="field-label">Burn captions into the video</label>');
  });

  it('enables the voice for OpenAI and flags errors in the summary', () => {
    const choice: GenerationChoice = { provider: 'openai', motion: 'kenburns', voice: 'nova', burnCaptions: true };
    const html = renderToStaticMarkup(
      <GenerationOptions capabilities={caps} loadFailed={false} choice={choice}
        errors={{ provider: 'Not on <this> server.' }} onChange={noop} />,
    );
    expect(html).not.toMatch(/<select id="field-voice"[^>]*disabled/);
    expect(html).toContain('OpenAI · Ken Burns · nova · captions');
    expect(html).toContain('Needs attention');
    expect(html).toContain('aria-describedby="field-provider-hint field-provider-error" aria-invalid="true"');
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
