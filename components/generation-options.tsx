import type { MotionName, ProviderName, Voice } from '@/lib/providers/types';
import type { Capabilities } from '@/lib/videos/capabilities';
import { CheckboxField } from './checkbox-field';
import { Field } from './form-field';
import { optionFieldNames, type FieldErrors } from './generate-options';
import * as c from './generation-choices';

interface GenerationOptionsProps {
  capabilities: Capabilities | undefined;
  /** The capabilities request gave up: the server's defaults will be used. */
  loadFailed: boolean;
  choice: c.GenerationChoice | null;
  errors: FieldErrors;
  onChange: <K extends keyof c.GenerationChoice>(name: K, value: c.GenerationChoice[K]) => void;
}

/** What the closed group says about the current choice. */
export function optionsSummary(choice: c.GenerationChoice | null, loadFailed: boolean): string {
  if (choice) return c.choiceSummary(choice);
  return loadFailed ? 'Server defaults' : 'Loading…';
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** Provider, motion, voice, music and captions, tucked into a group that starts closed. */
export function GenerationOptions({ capabilities, loadFailed, choice, errors, onChange }: GenerationOptionsProps) {
  const needsAttention = optionFieldNames.some((n) => errors[n]);
  return (
    <details className={`options-group${needsAttention ? ' options-invalid' : ''}`}>
      <summary className="options-summary">
        <span className="options-title">Generation options</span>
        <span className="sr-only">: </span>
        <span className="options-current">{optionsSummary(choice, loadFailed)}</span>
        {needsAttention ? <span className="options-alert">Needs attention</span> : null}
      </summary>
      <div className="options-body">
        {capabilities && choice ? (
          <>
            <div className="field-row">
              <Field name="provider" label="Provider" error={errors.provider}
                hint={c.unavailableHint(capabilities.providers, c.providerName)}>
                {(p) => (
                  <select {...p} value={choice.provider}
                    onChange={(e) => onChange('provider', e.target.value as ProviderName)}>
                    {capabilities.providers.map((opt) => (
                      <option key={opt.name} value={opt.name} disabled={!opt.available}>
                        {c.providerLabel(opt.name)}{opt.available ? '' : ' — unavailable'}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="motion" label="Motion" error={errors.motion}
                hint={c.unavailableHint(capabilities.motions, c.motionName)}>
                {(p) => (
                  <select {...p} value={choice.motion}
                    onChange={(e) => onChange('motion', e.target.value as MotionName)}>
                    {capabilities.motions.map((opt) => (
                      <option key={opt.name} value={opt.name} disabled={!opt.available}>
                        {c.motionLabel(opt.name)}{opt.available ? '' : ' — unavailable'}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="voice" label="Voice" error={errors.voice} hint="Who reads the narration.">
                {(p) => (
                  <select {...p} value={choice.voice} onChange={(e) => onChange('voice', e.target.value as Voice)}>
                    {(capabilities.voices[choice.provider] ?? []).map((v) => <option key={v} value={v}>{c.voiceLabel(v)}</option>)}
                  </select>
                )}
              </Field>
            </div>
            <div className="field-row">
              <Field name="music" label="Music" error={errors.music} hint="A quiet bed under the voice; it dips whenever someone speaks.">
                {(p) => (
                  <select {...p} value={choice.music}
                    onChange={(e) => onChange('music', e.target.value as c.GenerationChoice['music'])}>
                    {capabilities.music.map((bed) => <option key={bed} value={bed}>{c.musicLabel(bed)}</option>)}
                  </select>
                )}
              </Field>
              {choice.music === 'none' ? null : (
                <Field name="musicVolume" label="Music volume" error={errors.musicVolume}
                  aside={<output htmlFor="field-musicVolume">{percent(choice.musicVolume)}</output>}>
                  {(p) => (
                    <input {...p} type="range" min={0} max={1} step={0.05} value={choice.musicVolume}
                      aria-valuetext={percent(choice.musicVolume)}
                      onChange={(e) => onChange('musicVolume', Number(e.target.value))} />
                  )}
                </Field>
              )}
            </div>
            <CheckboxField name="burnCaptions" label="Burn captions into the video" checked={choice.burnCaptions}
              error={errors.burnCaptions} onChange={(v) => onChange('burnCaptions', v)}
              hint="Draws the narration onto the picture, for players that hide subtitles. A captions file comes with every video either way." />
          </>
        ) : (
          <p className="field-hint" role="status">
            {loadFailed
              ? 'Couldn’t load the options this server offers — your video will use its defaults.'
              : 'Loading the options this server offers…'}
          </p>
        )}
      </div>
    </details>
  );
}
