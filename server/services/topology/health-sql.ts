// The parts of the health rule that the Overview's fleet health and the service graph both read in
// SQL, written once so the two cannot drift apart. The rule itself is server/domain/topology/
// service-health.ts's: an instance is unhealthy when it is down, degraded (L1 or above) or behind an
// open breaker; rollouts and runs count while they are in flight.
import { Prisma } from '../../db/generated/client';
import { IN_FLIGHT_RUN_STATES } from '../../domain/experiments/machine';
import { IN_FLIGHT_STATES } from '../../domain/rollouts/machine';

/** A TelemetrySample aliased `ts` that is unhealthy. */
export const UNHEALTHY_SAMPLE = Prisma.raw(`NOT ts.up OR ts.degradation > 0 OR ts.breaker = 'open'`);

/** Bound as text[] parameters (a mutable copy: the driver takes plain arrays). */
export const IN_FLIGHT_ROLLOUT_STATES: string[] = [...IN_FLIGHT_STATES];
export const IN_FLIGHT_RUN_STATE_LIST: string[] = [...IN_FLIGHT_RUN_STATES];
