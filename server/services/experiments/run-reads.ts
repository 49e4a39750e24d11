// Read models of the run pages: the runs list (filters, pages), one run with the live health of
// every target next to its fault (the latest TelemetrySample: weight, ladder level, breaker, stage
// buffers), its injections and timeline, and each abort condition's live value against its
// threshold; and the report as JSON or Markdown.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { AppError, notFound } from '../../errors';
import { evaluateConditions } from '../../domain/experiments/conditions';
import { reportMarkdown, type RunReport } from '../../domain/experiments/report';
import { serviceSnapshot, serviceTicks } from './run-observe';
import { latestTickSample } from '../telemetry/telemetry-sql';
import { IN_FLIGHT_RUN_STATES, IN_FLIGHT_RUNS } from '../../domain/experiments/machine';
import { listRunsInput, reportInput, runIdInput } from './run-inputs';
import { runSpec } from './run-state';

export async function listRuns(db: Db, input: z.input<typeof listRunsInput>) {
  const { state, experimentId, page, pageSize } = listRunsInput.parse(input);
  const where: Prisma.ExperimentRunWhereInput = {
    ...(state ? { state: state === IN_FLIGHT_RUNS ? { in: [...IN_FLIGHT_RUN_STATES] } : state } : {}),
    ...(experimentId ? { experimentId } : {}),
  };
  const [total, rows] = await Promise.all([
    db.experimentRun.count({ where }),
    db.experimentRun.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true, experimentId: true, number: true, state: true, abortReason: true, stateDetail: true, trigger: true, startedByName: true,
        createdAt: true, injectedAt: true, runUntil: true, faultsRemovedAt: true, endedAt: true, version: true, spec: true,
        experiment: { select: { name: true } },
        _count: { select: { targets: true } },
      },
    }),
  ]);
  const verdicts = await db.experimentRunTarget.groupBy({ by: ['runId', 'state'], where: { runId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
  return {
    total,
    page,
    pageSize,
    runs: rows.map(({ spec, _count, experiment, ...r }) => ({
      ...r,
      experimentName: experiment.name,
      fault: runSpec({ spec }).fault,
      targets: _count.targets,
      targetStates: Object.fromEntries(verdicts.filter((v) => v.runId === r.id).map((v) => [v.state, v._count._all])),
    })),
  };
}

interface TargetHealth {
  effectiveWeight: number | null;
  degradation: number | null;
  breaker: string | null;
  stageFill: number[] | null;
  stageState: string[] | null;
  up: boolean | null;
  at: Date | null;
}

export async function getRun(db: Db, input: z.input<typeof runIdInput>) {
  const { runId } = runIdInput.parse(input);
  const run = await db.experimentRun.findUnique({
    where: { id: runId },
    include: { experiment: { select: { name: true, version: true } }, targets: { orderBy: [{ serviceName: 'asc' }, { instanceName: 'asc' }] }, injections: { orderBy: { createdAt: 'asc' } } },
  });
  if (!run) throw notFound('That run');
  const spec = runSpec(run);
  const ids = run.targets.map((t) => t.instanceId);
  const health = await db.$queryRaw<Array<TargetHealth & { instanceId: string }>>`
    SELECT s."instanceId"::text AS "instanceId", s."effectiveWeight", s.degradation, s.breaker, s."stageFill", s."stageState", s.up, s.at
      FROM "TelemetrySample" s
     WHERE s."instanceId" = ANY(${ids}::uuid[]) AND ${latestTickSample('s')}`;
  const events = await db.experimentRunEvent.findMany({ where: { runId }, orderBy: { id: 'asc' }, take: 1000 });
  const services = [...new Set(run.targets.map((t) => t.serviceName))];
  const now = new Date();
  const windowS = Math.max(1, ...spec.abortConditions.map((c) => ('windowS' in c ? c.windowS : 0)));
  // While faults are in, the values are what the controller judges (never before injection); otherwise the latest window.
  const from = new Date(Math.max(now.getTime() - windowS * 1000, run.state === 'running' && run.injectedAt ? run.injectedAt.getTime() : 0));
  const conditions = spec.abortConditions.length
    ? evaluateConditions(spec.abortConditions, await serviceTicks(db, services, from, now), now.getTime(), await serviceSnapshot(db, services))
    : [];
  const none: TargetHealth = { effectiveWeight: null, degradation: null, breaker: null, stageFill: null, stageState: null, up: null, at: null };
  const { report, spec: _spec, ...row } = run;
  return {
    run: { ...row, experimentName: run.experiment.name, hasReport: report !== null },
    spec,
    targets: run.targets.map((t) => {
      const { instanceId: _i, ...h } = health.find((x) => x.instanceId === t.instanceId) ?? { ...none, instanceId: t.instanceId };
      return { ...t, health: h, injection: run.injections.find((x) => (x.backend ? x.backend === t.serviceName : x.targetId === t.id)) ?? null };
    }),
    injections: run.injections,
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
    conditions,
  };
}

export async function runReport(db: Db, input: z.input<typeof reportInput>) {
  const { runId, format } = reportInput.parse(input);
  const run = await db.experimentRun.findUnique({ where: { id: runId }, select: { report: true, state: true, experiment: { select: { name: true } }, number: true } });
  if (!run) throw notFound('That run');
  if (run.report === null) {
    throw new AppError('PRECONDITION_FAILED', `Run "${run.experiment.name} #${run.number}" has no report${run.state === 'completed' || run.state === 'aborted' || run.state === 'failed' || run.state === 'skipped' ? ' (nothing was injected, or it failed before the observation ended)' : ' yet: it is built when the observation window after the faults ends'}.`);
  }
  const report = run.report as unknown as RunReport;
  return format === 'markdown' ? { format, markdown: reportMarkdown(report, `${run.experiment.name} #${run.number}`) } : { format, report };
}
