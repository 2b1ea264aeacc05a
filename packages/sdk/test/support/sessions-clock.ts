import { SessionRegistry, type SessionRegistryOptions } from '../../src/sessions/index.js';
import { captureLogger } from './capture.js';

/** A clock that moves only when told. */
export function fakeClock(start = Date.parse('2026-11-23T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A registry on a fake clock, without the background sweep, logging into a capture. */
export function testRegistry(options: SessionRegistryOptions = {}) {
  const clock = fakeClock();
  const { log, out } = captureLogger();
  const registry = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0, logger: log, ...options });
  return { registry, clock, out };
}
