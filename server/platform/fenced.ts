// Fencing for platform writes. A leader can be deposed without knowing it yet (its lock
// connection silently lost, a successor already elected); the database refuses its commits, but
// the platform would still take its weights. Every write therefore asks first whether the writer
// still leads. (A check-then-write leaves a window of one round trip; closing it entirely needs a
// fencing token the platform itself checks, which the platforms we drive do not offer.)
import type { PlatformAdapter } from './adapter';

/** The adapter methods that change the platform. Reads (telemetry, describe, listFaults) pass. */
export const PLATFORM_WRITES = ['setFleet', 'applyWeights', 'applyServiceRouting', 'setInstanceState', 'injectFault', 'removeFault', 'syncFaults'] as const;
export type PlatformWrite = (typeof PLATFORM_WRITES)[number];

/** A write was refused because the writer no longer leads (or could not confirm that it does). */
export class FencedError extends Error {
  constructor(
    readonly write: PlatformWrite,
    reason: string,
  ) {
    super(`${write} refused: ${reason}`);
    this.name = 'FencedError';
  }
}

const isWrite = (p: string | symbol): p is PlatformWrite => (PLATFORM_WRITES as readonly (string | symbol)[]).includes(p);

/**
 * The adapter with every platform write preceded by `stillLeader()`; a write is sent only when it
 * answers true, otherwise it fails with a FencedError (so does a check that cannot be made: a
 * writer that cannot confirm its lease must not write). Everything else reaches the adapter as is.
 */
export function fenced<A extends PlatformAdapter>(adapter: A, stillLeader: () => Promise<boolean>): A {
  return new Proxy(adapter, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!isWrite(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        let leads: boolean;
        try {
          leads = await stillLeader();
        } catch (err) {
          throw new FencedError(prop, `leadership could not be confirmed (${err instanceof Error ? err.message : String(err)})`);
        }
        if (!leads) throw new FencedError(prop, 'this worker no longer holds the telemetry leadership');
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}
