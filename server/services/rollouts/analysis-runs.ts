// One look at an analysis: the per-tick counts of canary and stable since it started (VersionSample,
// same zones, same ticks) go through the sequential tests of server/domain/rollouts/analysis, and
// the verdict and its charts are stored on the AnalysisRun. A look is cheap and may repeat every
// tick: the tests hold their false-detection rate at every look.
import type { Tx } from '../../db/client';
import type { AnalysisRun, Prisma, Rollout } from '../../db/generated/client';
import { analyse } from '../../domain/rollouts/analysis/analyse';
import type { AnalysisResult } from '../../domain/rollouts/analysis/types';
import type { AnalysisMetric, RolloutSpec } from '../../domain/rollouts/spec';
import { readVersionTicks } from './version-ticks';

/** -1 is the background analysis's step index. */
export const BACKGROUND = -1;

export interface AnalysisPlan {
  stepIndex: number;
  metrics: readonly AnalysisMetric[];
  startedAt: Date;
  /** Null for the background analysis (runs to the end of the rollout). */
  endsAt: Date | null;
}

export function findAnalysisRun(tx: Tx, r: Pick<Rollout, 'id' | 'attempt'>, stepIndex: number) {
  return tx.analysisRun.findUnique({ where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex } } });
}

export async function ensureAnalysisRun(tx: Tx, r: Rollout, spec: RolloutSpec, plan: AnalysisPlan): Promise<AnalysisRun> {
  const existing = await findAnalysisRun(tx, r, plan.stepIndex);
  if (existing) return existing;
  return tx.analysisRun.create({
    data: {
      rolloutId: r.id,
      attempt: r.attempt,
      stepIndex: plan.stepIndex,
      kind: plan.stepIndex === BACKGROUND ? 'background' : 'step',
      startedAt: plan.startedAt,
      endsAt: plan.endsAt,
      config: { metrics: plan.metrics, alpha: spec.alpha },
    },
  });
}

/** Looks at the evidence now and stores the verdict; a decided run is not looked at again. */
export async function lookAt(tx: Tx, r: Rollout, spec: RolloutSpec, run: AnalysisRun, metrics: readonly AnalysisMetric[], now: Date): Promise<AnalysisResult> {
  if (run.verdict !== 'running') return run.result as unknown as AnalysisResult;
  const ticks = await readVersionTicks(tx, { serviceId: r.serviceId, canaryVersion: spec.canaryVersion, stableVersion: spec.stableVersion, since: run.startedAt, until: now });
  const result = analyse({ metrics, alpha: spec.alpha, startedAt: run.startedAt.getTime(), endsAt: run.endsAt?.getTime() ?? null, now: now.getTime(), ticks });
  await tx.analysisRun.update({
    where: { id: run.id },
    data: {
      verdict: result.verdict,
      decidedAt: result.verdict === 'running' ? null : new Date(result.decidedAt ?? now.getTime()),
      result: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonValue,
    },
  });
  return result;
}

/** Closes a background analysis still running when the rollout ends (its last look stands). */
export async function closeBackground(tx: Tx, r: Rollout, verdict: 'pass' | 'inconclusive'): Promise<void> {
  await tx.analysisRun.updateMany({ where: { rolloutId: r.id, attempt: r.attempt, stepIndex: BACKGROUND, verdict: 'running' }, data: { verdict, decidedAt: new Date() } });
}
