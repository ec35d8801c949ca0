// The narration's language and who writes it: the planner (from the topic) or the person (their own
// script, one scene per paragraph). Presentational: the form owns the state.
import type { Capabilities } from '@/lib/videos/capabilities';
import { Field } from './form-field';
import * as o from './generate-options';
import * as c from './generation-choices';

/** The languages the server narrates in with the chosen provider, from /api/capabilities. */
export function LanguageField({ capabilities, choice, error, onChange }: {
  capabilities: Capabilities;
  choice: c.GenerationChoice;
  error?: string;
  onChange: (language: c.GenerationChoice['language']) => void;
}) {
  const options = c.languagesFor(capabilities, choice.provider);
  return (
    <Field name="language" label="Language" error={error} hint="The narration is spoken in this language.">
      {(p) => (
        <select {...p} value={choice.language} onChange={(e) => onChange(e.target.value as c.GenerationChoice['language'])}>
          {options.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
        </select>
      )}
    </Field>
  );
}

/**
 * "Write it for me" or "Write my own script". When the provider can't write in the chosen language,
 * the first is off and `lockedReason` says why in words.
 */
export function ScriptModeField({ ownScript, lockedReason, onChange }: {
  ownScript: boolean;
  lockedReason: string | null;
  onChange: (ownScript: boolean) => void;
}) {
  const locked = lockedReason !== null;
  return (
    <fieldset className="field script-mode" aria-describedby={locked ? 'script-mode-reason' : undefined}>
      <legend className="field-label">Script</legend>
      <div className="choice-row">
        <label className="choice">
          <input type="radio" id="script-mode-planned" name="ownScript" value="planned" checked={!ownScript && !locked} disabled={locked}
            onChange={() => onChange(false)} />
          Write it for me from the topic
        </label>
        <label className="choice">
          <input type="radio" id="script-mode-own" name="ownScript" value="own" checked={ownScript || locked} onChange={() => onChange(true)} />
          Write my own script
        </label>
      </div>
      {locked ? <p id="script-mode-reason" className="field-hint script-mode-reason" role="status">{lockedReason}</p> : null}
    </fieldset>
  );
}

/** The script itself, with a live count of scenes and characters and any paragraph that is too long. */
export function ScriptField({ value, error, onChange }: { value: string; error?: string; onChange: (script: string) => void }) {
  const stats = o.scriptStats(value);
  const over = stats.characters > o.MAX_SCRIPT_CHARS || stats.scenes > o.MAX_SCRIPT_PARAGRAPHS;
  return (
    <Field name="script" label="Your script" error={error} className="script-field"
      aside={<span className={over ? 'count-over' : undefined}>{o.scriptCount(stats)}</span>}
      hint={
        <>
          Read aloud just as you write it. A blank line starts a new scene: each paragraph is one scene
          (up to {o.MAX_SCRIPT_PARAGRAPHS} scenes, {o.MAX_PARAGRAPH_CHARS.toLocaleString('en')} characters each).
          The topic above titles the video.
          {stats.tooLong.length > 0 ? (
            <span className="script-too-long"> {o.tooLongMessage(stats.tooLong)}</span>
          ) : null}
        </>
      }>
      {(p) => (
        <textarea {...p} rows={8} dir="auto" value={value} onChange={(e) => onChange(e.target.value)}
          placeholder={'Bees visit thousands of flowers to gather nectar.\n\nBack in the hive, they fan it with their wings until it thickens into honey.'} />
      )}
    </Field>
  );
}
