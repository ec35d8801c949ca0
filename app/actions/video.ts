// POST /videos/[id] (Server Action) - Cancel and Retry on a video's page without JavaScript: the same lib calls as the JSON routes, then 303 back to the page
'use server';

import { redirect, RedirectType } from 'next/navigation';
import type { ControlFormState } from '@/components/video-actions';
import { cancelForOwner, retryForOwner } from '@/lib/api/control';
import { actionCaller } from '@/lib/api/server-owner';
import { getApp } from '@/lib/app';
import { AppError, isAppError } from '@/lib/errors';
import { errorFields, log } from '@/lib/log';
import { parseVideoId } from '@/lib/schemas/video';

/**
 * Runs for the page's Cancel or Retry button pressed before hydration or with JavaScript off (once
 * hydrated, the buttons call the JSON routes themselves). The caller is the cookie's owner, refused from
 * another site, and sees only its own videos, as with the routes.
 */
export async function controlFromForm(_prev: ControlFormState, data: FormData): Promise<ControlFormState> {
  const rawId = data.get('videoId');
  const action = data.get('action');
  let id: string;
  try {
    const app = await getApp();
    const { ownerId } = await actionCaller(app);
    id = parseVideoId(typeof rawId === 'string' ? rawId : '');
    if (action === 'cancel') await cancelForOwner(app, ownerId, id);
    else if (action === 'retry') await retryForOwner(app, ownerId, id);
    else throw new AppError('bad_request', 'This form is out of date: reload the page and try again.');
  } catch (err) {
    if (isAppError(err)) return { error: err.message };
    log.error('video control form failed', errorFields(err));
    return { error: 'Something went wrong on our side. Please try again.' };
  }
  // Outside the try: redirect() throws to answer, with 303 See Other for a form post.
  redirect(`/videos/${encodeURIComponent(id)}`, RedirectType.push);
}
