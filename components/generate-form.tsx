'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useRef, useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import type { AspectRatio, Resolution } from '@/lib/media/dimensions';
import { ApiError, api, errorMessage, NO_STORE, unwrap } from '@/lib/swr/fetcher';
import { useCapabilities } from '@/lib/swr/use-capabilities';
import { meKey } from '@/lib/swr/use-me';
import { addToVideosList } from '@/lib/swr/use-videos';
import type { Capabilities } from '@/lib/videos/capabilities';
import { CheckboxField } from './checkbox-field';
import { Field } from './form-field';
import * as o from './generate-options';
import { effectiveChoice, ownScriptReason, type GenerationChoice } from './generation-choices';
import { IDEMPOTENCY_FIELD, initialFormState, type GenerateFormState } from './generate-submission';
import { GenerationOptions } from './generation-options';
import { LanguageField, ScriptField, ScriptModeField } from './script-fields';

const initial: o.FormValues = {
  topic: '', description: '', ownScript: false, script: '', sceneCount: '4', aspectRatio: '16:9', resolution: '720p', review: false,
};

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

type FormAction = (prev: GenerateFormState, data: FormData) => Promise<GenerateFormState>;

// Without a Server Action (a test rendering the form alone) a plain submit has nowhere to go.
const noAction: FormAction = async (prev) => prev;

interface GenerateFormProps {
  /** Where the form posts before it hydrates or with JavaScript off: a Server Action that answers with a redirect. */
  action?: FormAction;
  /** What the server offers, rendered with the page so the options never wait on a request. */
  capabilities?: Capabilities;
  /** Made on the server for this render of the form: a second post of the same form makes no second video. */
  idempotencyKey?: string;
}

/**
 * Topic in, video id out. Hydrated, it posts JSON to the API and opens the video's page while it renders;
 * before that (or with JavaScript off) the browser posts the form itself to the Server Action, which
 * accepts it the same way and redirects to that page, or renders the form again with its errors.
 */
export function GenerateForm({ action = noAction, capabilities: served, idempotencyKey }: GenerateFormProps = {}) {
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const formRef = useRef<HTMLFormElement>(null);
  // After a refused plain post the page is rendered again with this state; otherwise it is the initial one.
  const [posted, formAction, posting] = useActionState(action, initialFormState);
  // One idempotency key per distinct request, so a double click or a retry never makes two videos.
  const keyRef = useRef<{ body: string; key: string } | null>(null);
  const [values, setValues] = useState(posted.values ?? initial);
  // Only what the person changed; the rest follows the server's defaults.
  const [changes, setChanges] = useState<Partial<GenerationChoice>>(posted.changes);
  const { capabilities, error: capabilitiesError } = useCapabilities(served);
  const choice = effectiveChoice(capabilities, changes);
  // A language the chosen provider can't write a script in leaves one way: the person's own script.
  const lockedReason = capabilities && choice ? ownScriptReason(capabilities, choice) : null;
  const scriptMode = values.ownScript || lockedReason !== null;
  const [errors, setErrors] = useState<o.FieldErrors>(posted.errors);
  const [formError, setFormError] = useState<string | null>(posted.formError);
  const [sending, setSending] = useState(false);
  const submitting = sending || posting;
  const topicLength = o.topicLength(values.topic);
  const topicError = errors.topic ?? o.topicTooLong(values.topic) ?? undefined;

  const set = <K extends keyof o.FormValues>(name: K, value: o.FormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    if (errors[name as o.FieldName]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const choose = <K extends keyof GenerationChoice>(name: K, value: GenerationChoice[K]) => {
    const next = { ...changes, [name]: value };
    setChanges(next);
    // Once a language forces the script mode it stays on, so a later change of provider never hides what was written.
    const nextChoice = effectiveChoice(capabilities, next);
    if (capabilities && nextChoice && ownScriptReason(capabilities, nextChoice)) setValues((v) => ({ ...v, ownScript: true }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const focusFirst = (errs: o.FieldErrors) => {
    const first = o.fieldNames.find((n) => errs[n]);
    const el = first && formRef.current?.elements.namedItem(first);
    if (!(el instanceof HTMLElement)) return;
    // A field inside the closed options group can't take focus until the group is open.
    const group = el.closest('details');
    if (group && !group.open) group.open = true;
    el.focus();
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const invalid = o.validate(values, { scriptMode });
    setErrors(invalid);
    setFormError(null);
    if (Object.keys(invalid).length > 0) return focusFirst(invalid);

    const body = o.requestBody(values, choice, { scriptMode });
    const serialized = JSON.stringify(body);
    if (keyRef.current?.body !== serialized) keyRef.current = { body: serialized, key: newKey() };

    setSending(true);
    try {
      const accepted = await unwrap(api().POST('/api/video/generate', {
        ...NO_STORE, body, params: { header: { 'Idempotency-Key': keyRef.current.key } },
      }));
      if ('videos' in accepted) throw new Error('A single request was answered as a batch.');
      void addToVideosList(mutate, accepted, body);
      void mutate(meKey);
      router.push(`/videos/${encodeURIComponent(accepted.id)}`);
      // Stay disabled until the next page replaces this one.
    } catch (err) {
      setSending(false);
      const issues = err instanceof ApiError ? err.issues : [];
      const onPage = o.fieldsOnPage({ scriptMode, capabilities: choice !== null, music: choice?.music ?? null });
      const { fieldErrors, unplaced } = o.placeIssues(issues, onPage);
      setErrors(fieldErrors);
      setFormError(o.refusalMessage(errorMessage(err), fieldErrors, unplaced));
      focusFirst(fieldErrors);
    }
  }

  return (
    // A Server Action form renders as method="post" from the first byte, so a submit before hydration
    // never falls back to a GET that would put the topic in the URL.
    <form ref={formRef} className="card generate-form" action={formAction} onSubmit={onSubmit} noValidate>
      {idempotencyKey ? <input type="hidden" name={IDEMPOTENCY_FIELD} value={idempotencyKey} /> : null}
      {/* No maxLength: the browser would cut a pasted topic short without a word. The counter and the
          error say how much is over instead. */}
      <Field name="topic" label="Topic" error={topicError}
        aside={topicLength >= o.TOPIC_COUNTER_FROM ? (
          <span className={topicLength > o.TOPIC_MAX ? 'count-over' : undefined}>{`${topicLength}/${o.TOPIC_MAX}`}</span>
        ) : undefined}
        hint="What should the video explain? For example: “How do bees make honey?”">
        {(p) => (
          <input {...p} type="text" required autoComplete="off" dir="auto" value={values.topic}
            onChange={(e) => set('topic', e.target.value)} placeholder="How do bees make honey?" />
        )}
      </Field>
      {capabilities && choice ? (
        <LanguageField capabilities={capabilities} choice={choice} error={errors.language} onChange={(l) => choose('language', l)} />
      ) : null}
      <ScriptModeField ownScript={values.ownScript} lockedReason={lockedReason} onChange={(own) => set('ownScript', own)} />
      {scriptMode ? (
        <ScriptField value={values.script} error={errors.script} onChange={(v) => set('script', v)} />
      ) : (
        <Field name="description" label="Description (optional)" error={errors.description}
          aside={`${values.description.length}/${o.DESCRIPTION_MAX}`} hint="Audience, tone, points to cover.">
          {(p) => (
            <textarea {...p} rows={3} maxLength={o.DESCRIPTION_MAX} dir="auto" value={values.description}
              onChange={(e) => set('description', e.target.value)} />
          )}
        </Field>
      )}
      <div className="field-row">
        {scriptMode ? null : (
          // With a script the paragraph count decides the scenes; the counter under the script shows it.
          <Field name="sceneCount" label="Scenes" error={errors.sceneCount} hint={`${o.SCENES_MIN} to ${o.SCENES_MAX}`}>
            {(p) => (
              <input {...p} type="number" inputMode="numeric" required min={o.SCENES_MIN} max={o.SCENES_MAX} step={1}
                value={values.sceneCount} onChange={(e) => set('sceneCount', e.target.value)} />
            )}
          </Field>
        )}
        <Field name="aspectRatio" label="Aspect ratio" error={errors.aspectRatio}>
          {(p) => (
            <select {...p} value={values.aspectRatio} onChange={(e) => set('aspectRatio', e.target.value as AspectRatio)}>
              {o.aspectOptions.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
            </select>
          )}
        </Field>
        <Field name="resolution" label="Resolution" error={errors.resolution}
          hint={o.frameSize(values.aspectRatio, values.resolution)}>
          {(p) => (
            <select {...p} value={values.resolution} onChange={(e) => set('resolution', e.target.value as Resolution)}>
              {o.resolutionOptions.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
            </select>
          )}
        </Field>
      </div>
      <GenerationOptions capabilities={capabilities} loadFailed={Boolean(capabilitiesError) && !capabilities}
        choice={choice} errors={errors} onChange={choose} />
      <CheckboxField name="review" label="Let me review the script before rendering" checked={values.review}
        error={errors.review} onChange={(v) => set('review', v)}
        hint="The video waits after the script is written, so you can read and edit each scene, then start the rendering." />
      {formError ? <div id="form-error" className="alert alert-danger" role="alert">{formError}</div> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary button-large" disabled={submitting} aria-busy={submitting}>
          {submitting ? <span className="spinner" aria-hidden="true" /> : null}
          {submitting ? 'Generating…' : 'Generate Video'}
        </button>
        <p className="muted form-note" role="status">
          {submitting ? 'Starting your video…' : 'Rendering happens on our servers — you can leave any time.'}
        </p>
      </div>
    </form>
  );
}
