// Spans for what one video goes through: accept, claim, each step, each provider call, each ffmpeg run.
// They use the OpenTelemetry API only; instrumentation.ts registers @vercel/otel's SDK when an exporter
// is configured. Without one nothing is registered and the API hands out non-recording spans: a span
// then costs a fraction of a microsecond (docs/PERFORMANCE.md, bench:tracing).
//
// A video's work runs in many invocations, so its trace is carried in the database: the accept span's
// W3C traceparent is stored with the video and each of its tasks (db/migrations/0023), and a claimed
// task's claim and step spans are started under it (contextOf), so they share the accept's trace id.
import {
  context, INVALID_SPAN_CONTEXT, propagation, SpanStatusCode, trace,
  type Attributes, type Context, type Span,
} from '@opentelemetry/api';

/** Attribute names, one spelling everywhere (README, Traces). */
export const attr = {
  videoId: 'cueframe.video.id',
  videoIds: 'cueframe.video.ids',
  taskId: 'cueframe.task.id',
  step: 'cueframe.step',
  attempt: 'cueframe.attempt',
  scene: 'cueframe.scene.index',
  provider: 'cueframe.provider',
  outcome: 'cueframe.outcome',
  ffmpegOp: 'cueframe.ffmpeg.op',
} as const;

const tracer = trace.getTracer('cueframe');
const noSpan = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

// Kept on globalThis: Next bundles instrumentation.ts apart from the routes, and each bundle would
// otherwise hold its own copy of this module's state.
const OFF = Symbol.for('cueframe.tracing.off');
type Switch = { [OFF]?: boolean };

/**
 * TRACING=off (lib/config.ts): every helper here skips the OpenTelemetry API altogether, spans and
 * traceparents alike. The benches use it as the baseline that tracing's cost is measured against.
 */
export function setTracingEnabled(on: boolean): void {
  (globalThis as Switch)[OFF] = !on;
}

function off(): boolean {
  return (globalThis as Switch)[OFF] === true;
}

/** Marks a span failed with the error that failed it. */
export function recordError(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err);
  else span.recordException(String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Runs `fn` in a span named `name`, a child of `parent` (by default the active span). A throw marks the
 * span failed and is rethrown; the span ends when `fn` settles.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  if (off()) return fn(noSpan);
  return tracer.startActiveSpan(name, { attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span, for a caller that learns how its work went only after a throw was turned into a value. */
export function activeSpan(): Span {
  return trace.getActiveSpan() ?? noSpan;
}

/** A start time for recordSpan, on the clock spans use. */
export function spanClock(): number {
  return performance.timeOrigin + performance.now();
}

/** A span that already happened: from `startTime` (spanClock()) until now, under `parent`. */
export function recordSpan(name: string, attributes: Attributes, startTime: number, parent: Context): void {
  if (off()) return;
  tracer.startSpan(name, { attributes, startTime }, parent).end();
}

/** The active span's context as a W3C traceparent, to store or send; null when nothing is traced. */
export function currentTraceparent(): string | null {
  if (off()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** A context whose parent is the stored traceparent; without one, the active context. */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent || off()) return context.active();
  return propagation.extract(context.active(), { traceparent });
}
