'use client';

import { useState } from 'react';
import { ApiError, api, errorMessage, NO_STORE, unwrap } from '@/lib/swr/fetcher';
import type { SceneView, VideoView } from '@/lib/videos/types';
import { Field } from './form-field';

/** The API's limits (lib/schemas/video.ts: MAX_PARAGRAPH_CHARS, MAX_VISUAL_PROMPT_CHARS). */
export const NARRATION_MAX = 600;
export const VISUAL_PROMPT_MAX = 1000;

export interface SceneDraft {
  narration: string;
  visualPrompt: string;
}

export interface SceneEdit {
  index: number;
  narration?: string;
  visualPrompt?: string;
}

type Drafts = Record<number, SceneDraft>;
type FieldErrors = Record<string, string>;

export function draftsOf(scenes: Pick<SceneView, 'index' | 'narration' | 'visualPrompt'>[]): Drafts {
  return Object.fromEntries(scenes.map((s) => [s.index, { narration: s.narration, visualPrompt: s.visualPrompt }]));
}

/** The edits to send: only what differs from the saved scene (compared as the API stores it, trimmed). */
export function changedScenes(scenes: SceneView[], drafts: Drafts): SceneEdit[] {
  return scenes.flatMap((s) => {
    const d = drafts[s.index];
    if (!d) return [];
    const edit: SceneEdit = { index: s.index };
    if (d.narration.trim() !== s.narration) edit.narration = d.narration.trim();
    if (d.visualPrompt.trim() !== s.visualPrompt) edit.visualPrompt = d.visualPrompt.trim();
    return edit.narration !== undefined || edit.visualPrompt !== undefined ? [edit] : [];
  });
}

const fieldName = (index: number, part: 'narration' | 'visualPrompt') => `scene-${index}-${part}`;

/** What the browser can tell before asking: empty or too long. The server checks everything again. */
export function draftErrors(drafts: Drafts): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, d] of Object.entries(drafts)) {
    const index = Number(key);
    const n = d.narration.trim().length;
    if (n === 0) errors[fieldName(index, 'narration')] = 'Write what the narrator says in this scene.';
    else if (n > NARRATION_MAX) errors[fieldName(index, 'narration')] = `At most ${NARRATION_MAX} characters (about 40 seconds of speech); this has ${n}.`;
    const p = d.visualPrompt.trim().length;
    if (p === 0) errors[fieldName(index, 'visualPrompt')] = 'Describe what the scene shows.';
    else if (p > VISUAL_PROMPT_MAX) errors[fieldName(index, 'visualPrompt')] = `At most ${VISUAL_PROMPT_MAX.toLocaleString('en')} characters; this has ${p}.`;
  }
  return errors;
}

/** The server's field issues (`scenes.<i>.narration`, i counting the edits sent) placed on their fields. */
export function issueErrors(err: unknown, sent: SceneEdit[]): FieldErrors {
  if (!(err instanceof ApiError)) return {};
  const errors: FieldErrors = {};
  for (const issue of err.issues) {
    const m = /^scenes\.(\d+)\.(narration|visualPrompt)$/.exec(issue.path);
    const edit = m ? sent[Number(m[1])] : undefined;
    if (m && edit) errors[fieldName(edit.index, m[2] as 'narration' | 'visualPrompt')] = issue.message;
  }
  return errors;
}

type Busy = 'save' | 'approve' | 'cancel' | null;

/**
 * While a video awaits review: each scene's narration and visual prompt as editable text, with Save
 * edits, Approve and render (which saves first), and Cancel. Errors are shown where they belong.
 */
export function SceneReview({ video, onChange }: { video: VideoView; onChange: () => void }) {
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(video.scenes));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const edits = changedScenes(video.scenes, drafts);
  const path = { ...NO_STORE, params: { path: { id: video.id } } };

  const set = (index: number, part: keyof SceneDraft, value: string) => {
    setDrafts((d) => ({ ...d, [index]: { ...d[index]!, [part]: value } }));
    setSaved(false);
  };

  /** Sends the edits, if any; false when they were refused (the errors are shown). */
  const save = async (): Promise<boolean> => {
    if (edits.length === 0) return true;
    const local = draftErrors(drafts);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFormError('Some scenes need fixing before they can be saved.');
      return false;
    }
    try {
      const r = await unwrap(api().PATCH('/api/video/{id}/scenes', { ...path, body: { scenes: edits } }));
      setDrafts((d) => ({ ...d, ...draftsOf(r.scenes) }));
      return true;
    } catch (err) {
      setErrors(issueErrors(err, edits));
      setFormError(errorMessage(err));
      return false;
    }
  };

  const act = async (action: Exclude<Busy, null>) => {
    setBusy(action);
    setFormError(null);
    setSaved(false);
    try {
      if (action === 'save') {
        if (await save()) setSaved(edits.length > 0);
      } else if (action === 'approve') {
        if (await save()) await unwrap(api().POST('/api/video/{id}/approve', path));
      } else {
        // Only while it still awaits review: a Cancel that crosses an approval must not stop the render.
        await unwrap(api().POST('/api/video/{id}/cancel', {
          ...path, body: { ifStatus: 'awaiting_review' },
        }));
      }
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(null);
      onChange();
    }
  };

  // Editing and approving run in the browser. Without scripts the form is hidden and a note says so; it is
  // a POST, so a click before hydration never puts the script's text in the URL.
  return (
    <>
      {/* As markup: React renders no children of a <noscript> it hydrates. */}
      <noscript dangerouslySetInnerHTML={{ __html: '<p class="alert alert-neutral">Reviewing the script needs JavaScript: turn it on to read, edit and approve the scenes.</p>' }} />
      <form method="post" className="scene-review needs-js" aria-describedby="scene-review-help" onSubmit={(e) => { e.preventDefault(); void act('approve'); }} noValidate>
        <p id="scene-review-help" className="muted">
          Nothing is rendered until you approve. Change any narration or picture description, save, then approve.
        </p>
        <ol className="scene-list" role="list">
          {video.scenes.map((scene) => {
            const d = drafts[scene.index] ?? { narration: scene.narration, visualPrompt: scene.visualPrompt };
            const n = scene.index + 1;
            return (
              <li key={scene.index} className="scene scene-review-item">
                <h3 className="scene-title">Scene {n}</h3>
                <Field name={fieldName(scene.index, 'narration')} label={`Scene ${n} narration`}
                  aside={`${d.narration.trim().length}/${NARRATION_MAX}`} error={errors[fieldName(scene.index, 'narration')]}>
                  {(p) => (
                    <textarea {...p} rows={3} dir="auto" value={d.narration} disabled={busy !== null}
                      onChange={(e) => set(scene.index, 'narration', e.target.value)} />
                  )}
                </Field>
                <Field name={fieldName(scene.index, 'visualPrompt')} label={`Scene ${n} visual prompt`}
                  aside={`${d.visualPrompt.trim().length}/${VISUAL_PROMPT_MAX}`} error={errors[fieldName(scene.index, 'visualPrompt')]}>
                  {(p) => (
                    <textarea {...p} rows={2} dir="auto" value={d.visualPrompt} disabled={busy !== null}
                      onChange={(e) => set(scene.index, 'visualPrompt', e.target.value)} />
                  )}
                </Field>
              </li>
            );
          })}
        </ol>
        <div className="video-actions">
          <button type="button" className="button" disabled={busy !== null || edits.length === 0} onClick={() => void act('save')}>
            {busy === 'save' ? 'Saving…' : 'Save edits'}
          </button>
          <button type="submit" className="button button-primary" disabled={busy !== null}>
            {busy === 'approve' ? 'Starting…' : 'Approve and render'}
          </button>
          <button type="button" className="button button-danger-outline" disabled={busy !== null} onClick={() => void act('cancel')}>
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel video'}
          </button>
          {saved ? <span className="muted" role="status">Edits saved.</span> : null}
          {edits.length > 0 && !saved ? <span className="muted">Unsaved edits in {edits.length} {edits.length === 1 ? 'scene' : 'scenes'}.</span> : null}
        </div>
        {formError ? <p className="alert alert-warning" role="alert">{formError}</p> : null}
      </form>
    </>
  );
}
