// One delivery attempt of a webhook event, run by the queue's webhook task. Failures come back as
// StepErrors so the queue's own retry and backoff apply; the event id stays the caller's, so every
// retry carries the same id and receivers can drop the duplicates that at-least-once brings.
import { StepError } from '@/lib/steps/errors';
import {
  isRefusal,
  isStepError,
  redirectRefusal,
  redirectTarget,
  REDIRECT_STATUSES,
  rejected,
  unreachable,
} from './responses';
import { postOnce, type HopResult } from './send';
import {
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  signPayload,
  standardSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './sign';
import { checkLiteralHost, checkUrl, guardedLookup, type DnsLookup, type GuardOptions } from './ssrf';

export const USER_AGENT = 'Cueframe-Webhooks/1';

export interface DeliveryRequest {
  url: string;
  /** The webhook_events id: the same on every attempt. */
  eventId: string;
  /** The raw JSON, sent and signed byte for byte. */
  body: string;
  /** The owner's whsec_ secrets that sign `webhook-signature`: the current one, and one in its rotation grace period. */
  secrets: readonly string[];
  /** Signs the deprecated `cueframe-signature` header. */
  legacySecret: string;
  /** For the whole attempt, redirects included. */
  timeoutMs?: number;
  allowPrivate: boolean;
  /** Epoch milliseconds; signatures carry it in whole seconds. */
  now?: () => number;
  lookup?: DnsLookup;
  /** Tests only: see GuardOptions.isForbidden. */
  isForbidden?: (ip: string) => boolean;
  maxRedirects?: number;
  signal?: AbortSignal;
}

const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused.',
  ECONNRESET: 'the connection was reset.',
  ENOTFOUND: 'its host name does not resolve.',
  EAI_AGAIN: 'its host name could not be looked up just now.',
  ETIMEDOUT: 'the connection timed out.',
  EHOSTUNREACH: 'its host is unreachable.',
};

function networkFailure(err: unknown): StepError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = (code ? ERROR_WORDS[code] : undefined) ?? (err instanceof Error ? err.message : String(err)).slice(0, 200);
  return unreachable(detail, err);
}

/** POSTs the signed event, following redirects; resolves on 2xx, throws a StepError otherwise. */
export async function deliverWebhook(req: DeliveryRequest): Promise<{ status: number }> {
  const now = req.now ?? Date.now;
  const timeoutMs = req.timeoutMs ?? 10_000;
  const maxRedirects = req.maxRedirects ?? 3;
  const guard: GuardOptions = { allowPrivate: req.allowPrivate, lookup: req.lookup, isForbidden: req.isForbidden };
  const lookup = guardedLookup(guard);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(unreachable(`it did not answer within ${timeoutMs} ms.`)), timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;

  const hop = async (url: URL, redirected: boolean): Promise<HopResult> => {
    try {
      checkLiteralHost(url.hostname, guard);
      // Signed per request, not per event: a receiver's tolerance window must not expire across retries.
      const timestamp = Math.floor(now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [WEBHOOK_ID_HEADER]: req.eventId,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        [WEBHOOK_SIGNATURE_HEADER]: standardSignature(req.secrets, req.eventId, timestamp, req.body),
        [EVENT_ID_HEADER]: req.eventId,
        [SIGNATURE_HEADER]: signPayload(req.legacySecret, timestamp, req.body),
      };
      return await postOnce(url, { headers, body: req.body, lookup, signal });
    } catch (err) {
      if (req.signal?.aborted && err === req.signal.reason) throw err;
      if (redirected && isRefusal(err)) throw redirectRefusal(url, err);
      throw isStepError(err) ? err : networkFailure(err);
    }
  };

  try {
    let url = checkUrl(req.url);
    for (let redirects = 0; ; redirects++) {
      const { status, location, retryAfter } = await hop(url, redirects > 0);
      if (status >= 200 && status < 300) return { status };
      if (!REDIRECT_STATUSES.has(status)) throw rejected(status, retryAfter, now());
      if (redirects >= maxRedirects) {
        throw new StepError('webhook_rejected', `The callback URL redirected more than ${maxRedirects} times.`);
      }
      // Every status re-sends the POST, 301–303 included: a receiver redirecting its webhook means "it lives here now".
      url = redirectTarget(url, location, status, now());
    }
  } finally {
    clearTimeout(timer);
  }
}
