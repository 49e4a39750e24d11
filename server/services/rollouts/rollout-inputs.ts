// The inputs of every rollouts.* procedure: bounded blocks of server/domain/inputs.ts and the one
// spec schema the wizard and the YAML view validate with.
import { z } from 'zod';
import { freeText, name, token, uuid, version } from '../../domain/inputs';
import { IN_FLIGHT, ROLLOUT_STATES } from '../../domain/rollouts/machine';
import { rolloutSpecSchema } from '../../domain/rollouts/spec';

/** A reason a person gives (abort, promote-full, override, a decision): required, in words. */
export const reason = () =>
  freeText(2000).refine((s) => s.trim().length > 0, 'Give a reason (it is recorded with your name)');

export const createRolloutInput = z.object({ spec: rolloutSpecSchema }).strict();
export const updateRolloutInput = z.object({ id: uuid(), version: version(), spec: rolloutSpecSchema }).strict();
export const rolloutRef = z.object({ id: uuid(), version: version() }).strict();
export const rolloutWithReason = z.object({ id: uuid(), version: version(), reason: reason() }).strict();
export const decideInput = z.object({ requestId: uuid(), decision: z.enum(['approve', 'reject'], { error: 'Decision: approve or reject' }), reason: reason() }).strict();

export const rolloutId = z.object({ id: uuid() }).strict();
export const listRolloutsInput = z
  .object({
    service: name().optional(),
    /** One state, or in-flight: progressing, paused or promoting. */
    state: z.enum([...ROLLOUT_STATES, IN_FLIGHT], { error: `State: one of ${[...ROLLOUT_STATES, IN_FLIGHT].join(', ')}` }).optional(),
    q: token(120).optional(),
  })
  .strict();
export const previewInput = z.object({ spec: rolloutSpecSchema }).strict();
export const templateInput = z.object({ service: name() }).strict();
