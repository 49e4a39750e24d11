// The inputs of the run procedures (experiments.start / abort / report / runs.*): bounded blocks of
// server/domain/inputs.ts only.
import { z } from 'zod';
import { freeText, int32, uuid, version } from '../../domain/inputs';
import { IN_FLIGHT_RUNS, RUN_STATES } from '../../domain/experiments/machine';

const RUN_FILTERS = [...RUN_STATES, IN_FLIGHT_RUNS] as const;

/** A reason a person gives (abort, override): required, in words. */
export const reason = () => freeText(2000).refine((s) => s.trim().length > 0, 'Give a reason (it is recorded with your name)');

export const startRunInput = z
  .object({
    experimentId: uuid(),
    /** An approver runs despite a topology guard in a target zone; recorded on the run. */
    guardOverrideReason: reason().optional(),
    /** An approver runs inside a freeze window; recorded on the run. */
    freezeOverrideReason: reason().optional(),
  })
  .strict();

export const abortRunInput = z.object({ runId: uuid(), version: version().optional(), reason: reason() }).strict();

export const runIdInput = z.object({ runId: uuid() }).strict();

export const reportInput = z.object({ runId: uuid(), format: z.enum(['json', 'markdown'], { error: 'Format: json or markdown' }).default('json') }).strict();

export const listRunsInput = z
  .object({
    /** One state, or in-flight: injecting, running or recovering. */
    state: z.enum(RUN_FILTERS, { error: `State: one of ${RUN_FILTERS.join(', ')}` }).optional(),
    experimentId: uuid().optional(),
    /** 1-based page of `pageSize` runs, newest first. */
    page: int32(1).max(10_000, 'Page: at most 10000').default(1),
    pageSize: int32(1).max(100, 'Page size: at most 100').default(25),
  })
  .strict();
