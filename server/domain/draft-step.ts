// The what-if draft's step, sharing work with the published replay. A draft changes one policy
// kind; the machines the other kinds drive (and the stage machines, which no policy drives) go
// through the same states in both replays, because each machine reads only its own runtime part,
// its own policy and the telemetry (STEP_PARTS). So the draft's runtime takes those parts' objects
// from the published runtime, which advances them, and the draft steps only the changed part:
// the same figures to the last bit, at a fraction of a second full step.
import type { InstanceRuntime } from './instance-runtime';
import { STEP_PARTS } from './step-counts';
import type { FleetPolicies } from './model';

/** The STEP_PARTS whose policy differs (a part whose policy is the same object cannot differ). */
export function changedParts(current: FleetPolicies, proposed: FleetPolicies): number {
  return (
    (current.weight === proposed.weight ? 0 : STEP_PARTS.weight) |
    (current.watermark === proposed.watermark ? 0 : STEP_PARTS.watermark) |
    (current.breaker === proposed.breaker ? 0 : STEP_PARTS.breaker)
  );
}

/**
 * Makes `draft` use `published`'s objects for every part outside `changed` (the stages always).
 * Both must start from the same sample; from then on, at every tick, `published` must take its
 * full step before `draft` takes its `changed` step (the watermarks read the fills the stage
 * step of the tick wrote).
 */
export function shareUnchanged(draft: InstanceRuntime, published: InstanceRuntime, changed: number): void {
  draft.stages = published.stages;
  draft.stageKnown = published.stageKnown;
  draft.fill = published.fill;
  if ((changed & STEP_PARTS.weight) === 0) {
    draft.sampled = published.sampled;
    draft.above = published.above;
    draft.weight = published.weight;
  }
  if ((changed & STEP_PARTS.watermark) === 0) {
    draft.watermarks = published.watermarks;
    draft.ladder = published.ladder;
    draft.ingress = published.ingress;
  }
  if ((changed & STEP_PARTS.breaker) === 0) draft.breaker = published.breaker;
}
