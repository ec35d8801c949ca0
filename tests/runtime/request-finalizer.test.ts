// The bypass must skip exactly undici's registration for a signal that a handful of Requests share,
// keep undici's cleanup for a signal shared by many, and leave every other registration alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  installRequestFinalizerBypass,
  requestFinalizerBypassActive,
  uninstallRequestFinalizerBypass,
} from '@/lib/runtime/request-finalizer';

type Register = FinalizationRegistry<unknown>['register'];
const proto = FinalizationRegistry.prototype as unknown as { register: Register };
let original: Register;
let registered: Array<{ target: unknown; held: unknown }>;

beforeEach(() => {
  // A spy under the bypass records what reaches the real register.
  original = proto.register;
  registered = [];
  proto.register = function (this: FinalizationRegistry<unknown>, target: WeakKey, held: unknown, token?: WeakKey) {
    registered.push({ target, held });
    return original.call(this, target, held, token);
  } as Register;
  expect(installRequestFinalizerBypass(4)).toBe(true);
});

afterEach(() => {
  uninstallRequestFinalizerBypass();
  proto.register = original;
});

const request = (signal: AbortSignal) => new Request('http://127.0.0.1/api/health', { signal });

describe('request finalizer bypass', () => {
  it('skips undici’s registration for a per-request signal, and the Request still aborts with it', () => {
    const incoming = new AbortController();
    const req = request(incoming.signal);
    expect(registered).toEqual([]);
    incoming.abort(new Error('client went away'));
    expect(req.signal.aborted).toBe(true);
    expect((req.signal.reason as Error).message).toBe('client went away');
  });

  it('registers again once a signal is shared by more Requests than the limit', () => {
    const lease = new AbortController();
    const reqs = Array.from({ length: 7 }, () => request(lease.signal));
    expect(registered).toHaveLength(3);
    expect(registered.every((r) => (r.held as { signal: AbortSignal }).signal === lease.signal)).toBe(true);
    lease.abort();
    expect(reqs.every((r) => r.signal.aborted)).toBe(true);
  });

  it('counts each signal apart', () => {
    for (let i = 0; i < 10; i++) request(new AbortController().signal);
    expect(registered).toEqual([]);
  });

  it('passes every other registration through', () => {
    const registry = new FinalizationRegistry(() => undefined);
    const ac = new AbortController();
    const abort = () => undefined;
    registry.register({}, 'held');
    registry.register(ac, { signal: ac.signal, abort }); // no unregister token: not undici's call
    registry.register(ac, { signal: ac.signal, abort: 'not a function' }, abort);
    registry.register({}, { signal: ac.signal, abort }, abort); // target is not an AbortController
    expect(registered).toHaveLength(4);
  });

  it('installs once per process and uninstalls to the register it wrapped', () => {
    expect(installRequestFinalizerBypass()).toBe(false);
    expect(requestFinalizerBypassActive()).toBe(true);
    const wrapped = proto.register;
    uninstallRequestFinalizerBypass();
    expect(requestFinalizerBypassActive()).toBe(false);
    expect(proto.register).not.toBe(wrapped);
    request(new AbortController().signal);
    expect(registered).toHaveLength(1);
  });
});
