// Builds a Runway motion provider against a fresh fake API for one test, with a clock the test
// moves by hand. make() can be called again to play a new invocation after a crash.
import type { SetupServer } from 'msw/node';
import { createRunwayClient, createRunwayMotion, type RunwayMotionOptions } from '@/lib/providers/runway';
import { createFakeRunway, RUNWAY_KEY, type FakeRunwayOptions } from './fake-runway';
import { muxStandIn } from './kit';

export const T0 = Date.parse('2025-03-01T12:00:00Z');
export const POLL_MS = 4_000;
export const MAX_WAIT_MS = 10 * 60_000;

export function runwayHarness(server: SetupServer, fakeOpts: FakeRunwayOptions = {}, over: Partial<RunwayMotionOptions> & { apiKey?: string } = {}) {
  const fake = createFakeRunway(fakeOpts);
  server.use(...fake.handlers);
  const mux = muxStandIn();
  let t = T0;
  const { apiKey = RUNWAY_KEY, ...motionOver } = over;
  const make = () =>
    createRunwayMotion({ client: createRunwayClient({ apiKey }), mux, now: () => t, pollMs: POLL_MS, maxWaitMs: MAX_WAIT_MS, ...motionOver });
  return {
    fake,
    mux,
    make,
    advance(ms: number) {
      t += ms;
    },
  };
}
