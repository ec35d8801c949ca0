// POST / (Server Action) - the Generate form without JavaScript: accepts one video as the JSON route does, then 303s to its page
'use server';

import { redirect, RedirectType } from 'next/navigation';
import { fieldsOnPage, placeIssues, refusalMessage, requestBody, validate } from '@/components/generate-options';
import { readSubmission, type GenerateFormState, type Submission } from '@/components/generate-submission';
import { parseWith } from '@/lib/api/body';
import { acceptGenerate } from '@/lib/api/generate';
import { actionCaller } from '@/lib/api/server-owner';
import { getApp } from '@/lib/app';
import { AppError, isAppError } from '@/lib/errors';
import { errorFields, log } from '@/lib/log';
import { generateVideoRequestSchema, idempotencyKeySchema } from '@/lib/schemas/video';

/**
 * Runs for a form posted before the page hydrated or with JavaScript off (once hydrated, the form posts
 * JSON to /api/video/generate itself). The same checks, limits, credits and idempotency as that route:
 * the hidden key, made per render of the form, turns a second submit of the same form into the first video.
 */
export async function generateFromForm(_prev: GenerateFormState, data: FormData): Promise<GenerateFormState> {
  const sub = readSubmission(data);
  const scriptMode = sub.values.ownScript;
  const invalid = validate(sub.values, { scriptMode });
  if (Object.keys(invalid).length > 0) return refused(sub, invalid, null);

  let videoId: string;
  try {
    const app = await getApp();
    const caller = await actionCaller(app);
    const key = sub.idempotencyKey === null ? undefined : idempotencyKeySchema.safeParse(sub.idempotencyKey);
    if (key && !key.success) throw new AppError('bad_request', 'This form is out of date: reload the page and send it again.');
    const request = parseWith(generateVideoRequestSchema, requestBody(sub.values, sub.options, { scriptMode }));
    const outcome = await acceptGenerate(app, { ...caller, requests: [request], batch: false, idempotencyKey: key?.data });
    videoId = outcome.videos[0]!.id;
  } catch (err) {
    if (!isAppError(err)) {
      log.error('generate form failed', errorFields(err));
      return refused(sub, {}, 'Something went wrong on our side and no video was made. Please try again.');
    }
    // The key is the form's, not the person's: say what to do rather than name a header they never saw.
    if (err.code === 'idempotency_key_reused' || err.code === 'idempotency_key_deleted') {
      return refused(sub, {}, err.code === 'idempotency_key_reused'
        ? 'This form was already sent with other values. Reload the page to make a new video from what you typed.'
        : 'The video this form made has been deleted. Reload the page to make a new one.');
    }
    const onPage = fieldsOnPage({ scriptMode, capabilities: true, music: sub.changes.music ?? null });
    const { fieldErrors, unplaced } = placeIssues(err.issues ?? [], onPage);
    return refused(sub, fieldErrors, refusalMessage(err.message, fieldErrors, unplaced));
  }
  // Outside the try: redirect() throws to answer, with 303 See Other for a form post.
  redirect(`/videos/${encodeURIComponent(videoId)}`, RedirectType.push);
}

function refused(sub: Submission, errors: GenerateFormState['errors'], formError: string | null): GenerateFormState {
  return { values: sub.values, changes: sub.changes, errors, formError };
}
