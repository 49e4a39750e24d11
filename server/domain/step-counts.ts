// A step's transitions as the what-if replay needs them: counted by the kinds its figures report,
// per machine part, instead of built with their words and values. The replay steps millions of
// ticks and only counts what they decided (advanceCounted in ./instance-step); the live loop
// keeps full transitions. countTransition classifies a full transition the same way, so the two
// forms can be checked against each other.
import type { Transition } from './model';

/**
 * The independent machines of a step, as bits: each reads only its own part of the runtime, its
 * own policy and the telemetry (the watermarks read the stage fills, which no policy changes).
 * The what-if replay steps a draft through only the part whose policy it changes and shares the
 * other parts' objects with the published replay (server/domain/draft-step.ts).
 */
export const STEP_PARTS = { weight: 1, stages: 2, watermark: 4, breaker: 8 } as const;
export const ALL_STEP_PARTS = 15;

export interface TransitionCounts {
  /** Weight transitions (recomputes that changed something): the weight part. */
  weight: number;
  /** Stage machine transitions, and those into blocked (a stage break): the stages part. */
  stage: number;
  stageBlocked: number;
  /** Ladder steps and those up, ingress isolation transitions and those to open: the watermark part. */
  degradation: number;
  degradationUp: number;
  ingress: number;
  ingressOpen: number;
  /** Instance breaker transitions, and those to open: the breaker part. */
  breaker: number;
  breakerOpen: number;
}

export function newTransitionCounts(): TransitionCounts {
  return { weight: 0, stage: 0, stageBlocked: 0, degradation: 0, degradationUp: 0, ingress: 0, ingressOpen: 0, breaker: 0, breakerOpen: 0 };
}

export function clearTransitionCounts(c: TransitionCounts): void {
  c.weight = c.stage = c.stageBlocked = c.degradation = c.degradationUp = c.ingress = c.ingressOpen = c.breaker = c.breakerOpen = 0;
}

/** Counts `t` where advanceCounted counts the transition it stands for. */
export function countTransition(c: TransitionCounts, t: Transition): void {
  switch (t.machine) {
    case 'weight':
      c.weight++;
      return;
    case 'stage':
      c.stage++;
      if (t.to === 'blocked') c.stageBlocked++;
      return;
    case 'degradation':
      c.degradation++;
      // Level names L0..L3 order as their levels.
      if (t.to > t.from) c.degradationUp++;
      return;
    case 'breaker':
      if (t.stage === 'access') {
        c.ingress++;
        if (t.to === 'open') c.ingressOpen++;
      } else {
        c.breaker++;
        if (t.to === 'open') c.breakerOpen++;
      }
  }
}

/** How many transitions the machines of `parts` (STEP_PARTS bits) made. */
export function transitionsIn(c: TransitionCounts, parts: number): number {
  return (
    ((parts & STEP_PARTS.weight) !== 0 ? c.weight : 0) +
    ((parts & STEP_PARTS.stages) !== 0 ? c.stage : 0) +
    ((parts & STEP_PARTS.watermark) !== 0 ? c.degradation + c.ingress : 0) +
    ((parts & STEP_PARTS.breaker) !== 0 ? c.breaker : 0)
  );
}
