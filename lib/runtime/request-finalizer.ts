// Keeps undici's per-Request FinalizationRegistry entries off Next.js's per-request signals.
//
// Next.js builds every route's Request with `signal` set to an AbortSignal it makes for that one
// incoming request. undici's Request constructor then adds an abort listener to that signal and, so
// the listener can be removed once the Request is garbage, registers it in a FinalizationRegistry.
// The registry holds `{ signal, abort }` strongly until a full (mark-compact) GC finds the Request
// dead, so each request's signal, its listeners and what they close over are promoted out of the
// young generation; and every full GC is followed by one cleanup callback per request served since
// the last one. Under load that is a full GC every few seconds and a ~100 ms stretch in which the
// main thread runs late (docs/PERFORMANCE.md, "HTTP in session 7").
//
// For a signal that lives only as long as one request, the registry buys nothing: the signal, its
// listener and the Request become garbage together. So the first few registrations for any signal are
// skipped. A long-lived signal shared by many Requests (a task's lease signal, say) still gets
// undici's cleanup from its (limit + 1)th Request on, so at most `limit` stale listeners stay on it.
const installed = Symbol.for('cueframe.requestFinalizerBypass');

type Register = (this: FinalizationRegistry<unknown>, target: WeakKey, held: unknown, token?: WeakKey) => void;

interface Patched extends Register {
  [installed]?: Register;
}

/** undici's shape: `register(ac, { signal, abort }, abort)`. Anything else is not ours to touch. */
function undiciSignal(target: unknown, held: unknown, token: unknown): AbortSignal | null {
  if (!(target instanceof AbortController) || typeof held !== 'object' || held === null) return null;
  const { signal, abort } = held as { signal?: unknown; abort?: unknown };
  return signal instanceof AbortSignal && typeof abort === 'function' && token === abort ? signal : null;
}

/** The replacement `register`, around `original`. */
function bypassingRegister(original: Register, limit: number): Register {
  const skipped = new WeakMap<AbortSignal, number>();
  return function register(this: FinalizationRegistry<unknown>, target, held, token) {
    const signal = undiciSignal(target, held, token);
    if (signal) {
      const n = skipped.get(signal) ?? 0;
      if (n < limit) {
        skipped.set(signal, n + 1);
        return;
      }
    }
    original.call(this, target, held, token);
  };
}

const registryProto = () => FinalizationRegistry.prototype as unknown as { register: Patched };

/** Whether this process's FinalizationRegistry.prototype.register is the bypass. */
export function requestFinalizerBypassActive(): boolean {
  return Boolean(registryProto().register[installed]);
}

/** Installs the bypass once per process; returns whether this call installed it. */
export function installRequestFinalizerBypass(limit = 16): boolean {
  const proto = registryProto();
  if (proto.register[installed]) return false;
  const patched: Patched = bypassingRegister(proto.register, limit);
  patched[installed] = proto.register;
  proto.register = patched;
  return true;
}

/** Puts the original `register` back (tests). */
export function uninstallRequestFinalizerBypass(): void {
  const proto = registryProto();
  const original = proto.register[installed];
  if (original) proto.register = original;
}
