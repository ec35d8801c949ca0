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

/** Provider, motion, voice and captions, tucked into a group that starts closed. */
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
              <Field name="voice" label="Voice" error={errors.voice}
                hint={c.usesVoice(choice.provider)
                  ? 'The narrator’s voice.'
                  : 'Only the OpenAI provider speaks: the local preview plays a soft tone instead of narration.'}>
                {(p) => (
                  <select {...p} value={choice.voice} disabled={!c.usesVoice(choice.provider)}
                    onChange={(e) => onChange('voice', e.target.value as Voice)}>
                    {capabilities.voices[choice.provider].map((v) => <option key={v} value={v}>{v}</option>)}
                  </select>
                )}
              </Field>
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
