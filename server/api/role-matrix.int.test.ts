import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter } from './root';
import type { Role } from '../db/generated/enums';
import { makeDefaultPolicies, makeFleet, makeUser } from '../db/factories';
import { defaultPolicies } from '../domain/policy-defaults';
import { callerAs, openTestDb, type TestDb } from '../../test/context';
import { rolloutAt, rolloutFleet, specFor } from '../../test/rollout-fixtures';
import { draftFor } from '../../test/safety-fixtures';
import { dailyCronHalfADayAway } from '../../test/clock';
import { createExperiment } from '../services/experiments/experiment-commands';
import { createSchedule } from '../services/experiments/schedules';
import { engageHalt, releaseHalt } from '../services/safety/halt';
import { chaosLimits } from '../services/safety/limits';
import { chaosFleet, makeExperiment, runAt } from '../../test/experiment-fixtures';
import { rolloutToArgo } from '../domain/manifests/argo-export';
import { experimentToChaosMesh } from '../domain/manifests/chaos-export';

type Caller = Awaited<ReturnType<typeof callerAs>>['caller'];

// Every procedure of the API, the least role that may call it, and a valid call. A procedure
// added to the router without a row here fails the coverage test below, so no guard is forgotten.
const matrix: Array<{ path: string; min: Role | 'public'; call: (c: Caller, t: TestDb) => Promise<unknown> }> = [
  { path: 'auth.me', min: 'public', call: (c) => c.auth.me() },
  { path: 'auth.login', min: 'public', call: async (c, t) => { const { user, password } = await makeUser(t.db); return c.auth.login({ name: user.name, password }); } },
  { path: 'auth.logout', min: 'public', call: (c) => c.auth.logout() },
  { path: 'auth.changePassword', min: 'viewer', call: (c) => c.auth.changePassword({ current: 'wrong-password', next: 'a-new-password-123' }).catch(expectBadRequest) },
  { path: 'users.list', min: 'admin', call: (c) => c.users.list() },
  { path: 'users.create', min: 'admin', call: (c) => c.users.create({ name: `u${Math.random().toString(36).slice(2, 10)}`, role: 'viewer' }) },
  { path: 'users.setRole', min: 'admin', call: async (c, t) => { const { user } = await makeUser(t.db); return c.users.setRole({ id: user.id, role: 'operator', version: user.version }); } },
  { path: 'users.setActive', min: 'admin', call: async (c, t) => { const { user } = await makeUser(t.db); return c.users.setActive({ id: user.id, active: false, version: user.version }); } },
  { path: 'users.setTimeZonePreference', min: 'viewer', call: (c) => c.users.setTimeZonePreference({ timeZone: 'local' }) },
  { path: 'users.resetPassword', min: 'admin', call: async (c, t) => { const { user } = await makeUser(t.db); return c.users.resetPassword({ id: user.id, version: user.version }); } },
  { path: 'tokens.list', min: 'viewer', call: (c) => c.tokens.list() },
  { path: 'tokens.listAll', min: 'admin', call: (c) => c.tokens.listAll() },
  { path: 'tokens.create', min: 'viewer', call: (c) => c.tokens.create({ name: `m-${Math.random().toString(36).slice(2, 10)}`, role: 'viewer', expiresInDays: 30 }) },
  // Each role revokes a token of its own (an admin revoking others' is in tokens.int.test.ts).
  { path: 'tokens.revoke', min: 'viewer', call: async (c) => { const { token } = await c.tokens.create({ name: `r-${Math.random().toString(36).slice(2, 10)}`, role: 'viewer', expiresInDays: 1 }); return c.tokens.revoke({ id: token.id, reason: 'matrix' }); } },
  { path: 'topology.overview', min: 'viewer', call: (c) => c.topology.overview() },
  { path: 'topology.health', min: 'viewer', call: (c) => c.topology.health() },
  { path: 'topology.cluster', min: 'viewer', call: async (c, t) => c.topology.cluster({ name: (await t.db.cluster.findFirstOrThrow()).name }) },
  { path: 'topology.updateService', min: 'admin', call: async (c, t) => { const s = await t.db.service.findFirstOrThrow(); return c.topology.updateService({ id: s.id, version: s.version, description: `edited ${Date.now()}` }); } },
  { path: 'audit.list', min: 'viewer', call: (c) => c.audit.list({}) },
  { path: 'audit.facets', min: 'viewer', call: (c) => c.audit.facets() },
  { path: 'live.events', min: 'viewer', call: (c) => c.live.events({}) },
  { path: 'system.health', min: 'viewer', call: (c) => c.system.health() },
  { path: 'system.workers', min: 'viewer', call: (c) => c.system.workers() },
  { path: 'system.adapters', min: 'viewer', call: (c) => c.system.adapters() },
  { path: 'platform.save', min: 'admin', call: (c) => c.platform.save({ name: 'sim-matrix', kind: 'sim', config: { seed: 7 } }) },
  { path: 'platform.activate', min: 'admin', call: async (c, t) => { const a = await t.db.adapterConfig.create({ data: { name: `act-${Math.random()}`, kind: 'sim', config: {} } }); return c.platform.activate({ id: a.id, version: a.version }); } },
  { path: 'platform.test', min: 'admin', call: (c) => c.platform.test({ kind: 'sim', config: {} }) },
  { path: 'platform.importTopology', min: 'admin', call: async (c, t) => { const a = await t.db.adapterConfig.create({ data: { name: `imp-${Math.random()}`, kind: 'sim', config: {} } }); return c.platform.importTopology({ id: a.id }); } },
  { path: 'policies.list', min: 'viewer', call: (c) => c.policies.list() },
  { path: 'policies.get', min: 'viewer', call: (c) => c.policies.get({ kind: 'watermark', scope: 'global' }) },
  { path: 'policies.diff', min: 'viewer', call: (c) => c.policies.diff({ kind: 'watermark', scope: 'global', a: 1, b: 1 }) },
  { path: 'policies.preview', min: 'operator', call: (c) => c.policies.preview({ kind: 'watermark', scope: 'global', document: { ...defaultPolicies.watermark }, minutes: 5 }) },
  { path: 'policies.previewProgress', min: 'operator', call: (c) => c.policies.previewProgress({ key: '00000000-0000-4000-8000-000000000000' }) },
  { path: 'policies.warmPreview', min: 'operator', call: (c) => c.policies.warmPreview({ kind: 'watermark', scope: 'global' }) },
  { path: 'policies.saveDraft', min: 'operator', call: (c) => c.policies.saveDraft({ kind: 'watermark', scope: 'global', baseVersion: 1, document: { ...defaultPolicies.watermark } }) },
  { path: 'policies.publish', min: 'admin', call: async (c, t) => c.policies.publish({ kind: 'breaker', scope: 'global', expectedVersion: (await t.db.policy.findFirstOrThrow({ where: { kind: 'breaker', scope: 'global' } })).version, document: { ...defaultPolicies.breaker }, message: 'matrix' }) },
  { path: 'policies.rollback', min: 'admin', call: async (c, t) => c.policies.rollback({ kind: 'breaker', scope: 'global', toVersion: 1, expectedVersion: (await t.db.policy.findFirstOrThrow({ where: { kind: 'breaker', scope: 'global' } })).version }) },
  { path: 'timeline.events', min: 'viewer', call: (c) => c.timeline.events({ from: Date.now() - 60_000, to: Date.now() }) },
  { path: 'safety.halts', min: 'viewer', call: (c) => c.safety.halts({ limit: 5 }) },
  { path: 'machines.view', min: 'viewer', call: (c) => c.machines.view({ machine: 'degradation', from: Date.now() - 60_000, to: Date.now() }) },
  { path: 'machines.transitions', min: 'viewer', call: (c) => c.machines.transitions({ machine: 'breaker', from: Date.now() - 60_000, to: Date.now(), fromState: 'closed', toState: 'open' }) },
  { path: 'machines.history', min: 'viewer', call: (c) => c.machines.history({ machine: 'stage', from: Date.now() - 60_000, to: Date.now() }) },
  { path: 'machines.inState', min: 'viewer', call: (c) => c.machines.inState({ machine: 'stage', from: Date.now() - 60_000, to: Date.now(), state: 'blocked' }) },
  { path: 'sim.status', min: 'viewer', call: (c) => c.sim.status() },
  { path: 'sim.setDemand', min: 'operator', call: async (c, t) => c.sim.setDemand({ serviceId: (await t.db.service.findFirstOrThrow()).id, factor: 1.5, durationS: 60 }) },
  { path: 'sim.stress', min: 'operator', call: async (c, t) => c.sim.stress({ instanceName: (await t.db.instance.findFirstOrThrow()).name, cpuPct: 50, durationS: 60 }) },
  { path: 'sim.setVersion', min: 'operator', call: (c) => c.sim.setVersion({ version: 'v2', latencyFactor: 1, errorPct: 0.2, cpuFactor: 1 }) },
  { path: 'sim.resetVersion', min: 'operator', call: (c) => c.sim.resetVersion({ version: 'v2' }) },
  { path: 'sim.clear', min: 'operator', call: (c) => c.sim.clear({}) },
  { path: 'telemetry.services', min: 'viewer', call: (c) => c.telemetry.services() },
  { path: 'telemetry.service', min: 'viewer', call: (c) => c.telemetry.service({ name: 'svc-matrix' }) },
  { path: 'telemetry.serviceSeries', min: 'viewer', call: async (c, t) => c.telemetry.serviceSeries({ serviceId: (await t.db.service.findFirstOrThrow()).id, range: { lastS: 300 } }) },
  { path: 'telemetry.instances', min: 'viewer', call: (c) => c.telemetry.instances({ service: 'svc-matrix', health: 'unsampled' }) },
  { path: 'telemetry.instance', min: 'viewer', call: async (c, t) => c.telemetry.instance({ name: (await t.db.instance.findFirstOrThrow()).name }) },
  { path: 'telemetry.instanceSeries', min: 'viewer', call: async (c, t) => c.telemetry.instanceSeries({ instanceId: (await t.db.instance.findFirstOrThrow()).id, range: { lastS: 300 } }) },
  { path: 'telemetry.instanceLive', min: 'viewer', call: async (c, t) => c.telemetry.instanceLive({ instanceId: (await t.db.instance.findFirstOrThrow()).id }) },
  { path: 'telemetry.ticks', min: 'viewer', call: (c) => c.telemetry.ticks() },
  { path: 'telemetry.serviceLive', min: 'viewer', call: async (c, t) => c.telemetry.serviceLive({ serviceId: (await t.db.service.findFirstOrThrow()).id }) },
  { path: 'topologyMap.snapshot', min: 'viewer', call: (c) => c.topologyMap.snapshot() },
  { path: 'topologyMap.live', min: 'viewer', call: (c) => c.topologyMap.live({}) },
  { path: 'serviceGraph.get', min: 'viewer', call: (c) => c.serviceGraph.get() },
  { path: 'serviceGraph.live', min: 'viewer', call: (c) => c.serviceGraph.live({}) },
  { path: 'serviceGraph.setCalls', min: 'admin', call: async (c, t) => { const s = await t.db.service.findFirstOrThrow(); return c.serviceGraph.setCalls({ serviceId: s.id, callees: [] }); } },
  { path: 'rollouts.list', min: 'viewer', call: (c) => c.rollouts.list({}) },
  { path: 'rollouts.get', min: 'viewer', call: async (c, t) => c.rollouts.get({ id: (await rolloutAt(t.db, 'pending')).rollout.id }) },
  { path: 'rollouts.history', min: 'viewer', call: async (c, t) => c.rollouts.history({ id: (await rolloutAt(t.db, 'progressing')).rollout.id }) },
  { path: 'rollouts.template', min: 'viewer', call: (c) => c.rollouts.template({ service: 'svc-matrix' }) },
  { path: 'rollouts.pendingApprovals', min: 'viewer', call: (c) => c.rollouts.pendingApprovals() },
  { path: 'rollouts.onChange', min: 'viewer', call: (c) => c.rollouts.onChange({}) },
  { path: 'rollouts.preview', min: 'operator', call: async (c, t) => c.rollouts.preview({ spec: specFor((await rolloutFleet(t.db)).service.name, [{ kind: 'setWeight', weight: 10 }]) }) },
  { path: 'rollouts.create', min: 'operator', call: async (c, t) => c.rollouts.create({ spec: specFor((await rolloutFleet(t.db)).service.name, [{ kind: 'setWeight', weight: 10 }]) }) },
  { path: 'rollouts.update', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'pending'); return c.rollouts.update({ id: r.id, version: r.version, spec: { ...(r.spec as ReturnType<typeof specFor>), name: 'renamed' } }); } },
  { path: 'rollouts.remove', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'pending'); return c.rollouts.remove({ id: r.id, version: r.version }); } },
  { path: 'rollouts.start', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'pending'); return c.rollouts.start({ id: r.id, version: r.version }); } },
  { path: 'rollouts.pause', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'progressing'); return c.rollouts.pause({ id: r.id, version: r.version }); } },
  { path: 'rollouts.resume', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'paused'); return c.rollouts.resume({ id: r.id, version: r.version }); } },
  { path: 'rollouts.retry', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'rolled_back'); return c.rollouts.retry({ id: r.id, version: r.version }); } },
  { path: 'rollouts.abort', min: 'operator', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'progressing'); return c.rollouts.abort({ id: r.id, version: r.version, reason: 'matrix' }); } },
  { path: 'rollouts.promote', min: 'approver', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'progressing'); return c.rollouts.promote({ id: r.id, version: r.version }); } },
  { path: 'rollouts.promoteFull', min: 'approver', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'progressing'); return c.rollouts.promoteFull({ id: r.id, version: r.version, reason: 'matrix' }); } },
  { path: 'rollouts.overrideGuard', min: 'approver', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'guard'); return c.rollouts.overrideGuard({ id: r.id, version: r.version, reason: 'matrix' }); } },
  { path: 'rollouts.decide', min: 'approver', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'approval'); const q = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: r.id } }); return c.rollouts.decide({ requestId: q.id, decision: 'approve', reason: 'matrix' }); } },
  { path: 'rollouts.overrideFreeze', min: 'approver', call: async (c, t) => { const { rollout: r } = await rolloutAt(t.db, 'progressing'); const held = await t.db.rollout.update({ where: { id: r.id }, data: { state: 'paused', pauseReason: 'frozen', stateDetail: 'Held by a freeze window (test)', version: { increment: 1 } } }); return c.rollouts.overrideFreeze({ id: r.id, version: held.version, reason: 'matrix' }); } },
  { path: 'experiments.templates', min: 'viewer', call: (c) => c.experiments.templates() },
  { path: 'experiments.list', min: 'viewer', call: (c) => c.experiments.list({ text: 'jitter' }) },
  { path: 'experiments.get', min: 'viewer', call: async (c, t) => c.experiments.get({ id: (await matrixExperiment(t)).id }) },
  { path: 'experiments.preview', min: 'operator', call: (c) => c.experiments.preview({ spec: draftFor('svc-matrix').spec }) },
  { path: 'experiments.create', min: 'operator', call: (c) => c.experiments.create({ draft: draftFor('svc-matrix') }) },
  { path: 'experiments.update', min: 'operator', call: async (c, t) => { const e = await matrixExperiment(t); return c.experiments.update({ id: e.id, version: e.version, draft: draftFor('svc-matrix', { name: e.name, description: 'edited' }) }); } },
  { path: 'experiments.archive', min: 'operator', call: async (c, t) => { const e = await matrixExperiment(t); return c.experiments.archive({ id: e.id, version: e.version }); } },
  { path: 'experiments.schedules.list', min: 'viewer', call: (c) => c.experiments.schedules.list({}) },
  { path: 'experiments.schedules.create', min: 'operator', call: async (c, t) => c.experiments.schedules.create({ experimentId: (await matrixExperiment(t)).id, cron: '0 3 * * *' }) },
  { path: 'experiments.schedules.update', min: 'operator', call: async (c, t) => { const s = await matrixSchedule(t); return c.experiments.schedules.update({ id: s.id, version: s.version, cron: '0 4 * * *', concurrency: 'allow', historyLimit: 3, enabled: true }); } },
  { path: 'experiments.schedules.remove', min: 'operator', call: async (c, t) => { const s = await matrixSchedule(t); return c.experiments.schedules.remove({ id: s.id, version: s.version }); } },
  { path: 'experiments.schedules.evaluateNow', min: 'operator', call: (c) => c.experiments.schedules.evaluateNow({}) },
  { path: 'experiments.schedules.nextRuns', min: 'viewer', call: (c) => c.experiments.schedules.nextRuns({ cron: '*/10 * * * *', n: 3 }) },
  { path: 'manifests.rolloutExport', min: 'viewer', call: async (c, t) => c.manifests.rolloutExport({ id: (await rolloutAt(t.db, 'pending')).rollout.id }) },
  { path: 'manifests.experimentExport', min: 'viewer', call: async (c, t) => c.manifests.experimentExport({ id: (await matrixExperiment(t)).id }) },
  { path: 'manifests.rolloutImport', min: 'operator', call: async (c, t) => c.manifests.rolloutImport({ yaml: rolloutToArgo(specFor((await rolloutFleet(t.db)).service.name, [{ kind: 'setWeight', weight: 10 }])).yaml }) },
  { path: 'manifests.experimentImport', min: 'operator', call: (c) => c.manifests.experimentImport({ yaml: experimentToChaosMesh(draftFor('svc-matrix', { name: `imported ${Math.random()}` })).yaml }) },
  { path: 'safety.status', min: 'viewer', call: (c) => c.safety.status() },
  { path: 'safety.haltEngage', min: 'operator', call: async (c, t) => { const r = await c.safety.haltEngage({ reason: 'matrix' }); await releaseHalt(t.db, { id: null, name: 'matrix' }, { reason: 'matrix done' }); return r; } },
  { path: 'safety.haltRelease', min: 'approver', call: async (c, t) => {
    await engageHalt(t.db, { id: null, name: 'matrix' }, { reason: 'matrix' });
    try { return await c.safety.haltRelease({ reason: 'matrix done' }); } finally { if (await t.db.halt.count({ where: { releasedAt: null } })) await releaseHalt(t.db, { id: null, name: 'matrix' }, { reason: 'cleanup' }); }
  } },
  { path: 'safety.freezes.list', min: 'viewer', call: (c) => c.safety.freezes.list() },
  { path: 'safety.freezes.create', min: 'approver', call: (c) => c.safety.freezes.create({ window: { name: 'matrix', reason: 'matrix', kind: 'one_off', startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000) } }) },
  { path: 'safety.freezes.update', min: 'approver', call: async (c, t) => { const w = await matrixWindow(t); return c.safety.freezes.update({ id: w.id, version: w.version, window: { name: 'matrix 2', reason: 'matrix', kind: 'recurring', cron: dailyCronHalfADayAway(), durationMin: 60 } }); } },
  { path: 'safety.freezes.remove', min: 'approver', call: async (c, t) => { const w = await matrixWindow(t); return c.safety.freezes.remove({ id: w.id, version: w.version }); } },
  { path: 'safety.limits.get', min: 'viewer', call: (c) => c.safety.limits.get() },
  { path: 'safety.limits.set', min: 'admin', call: async (c, t) => c.safety.limits.set({ version: (await chaosLimits(t.db)).version, limits: { maxBlastRadiusPct: 50 } }) },
  { path: 'safety.onChange', min: 'viewer', call: (c) => c.safety.onChange({}) },
  { path: 'experiments.runs.list', min: 'viewer', call: (c) => c.experiments.runs.list({ state: 'running', page: 1 }) },
  { path: 'experiments.runs.get', min: 'viewer', call: async (c, t) => c.experiments.runs.get({ runId: (await runAt(t.db, 'running')).run.id }) },
  { path: 'experiments.runs.onChange', min: 'viewer', call: (c) => c.experiments.runs.onChange({}) },
  { path: 'experiments.report', min: 'viewer', call: async (c, t) => c.experiments.report({ runId: (await runAt(t.db, 'reported')).run.id, format: 'markdown' }) },
  { path: 'experiments.start', min: 'operator', call: async (c, t) => { const f = await chaosFleet(t.db); return c.experiments.start({ experimentId: (await makeExperiment(t.db, f)).id }); } },
  { path: 'experiments.abort', min: 'operator', call: async (c, t) => { const { run } = await runAt(t.db, 'running'); return c.experiments.abort({ runId: run.id, version: run.version, reason: 'matrix' }); } },
  { path: 'webhooks.list', min: 'admin', call: (c) => c.webhooks.list() },
  { path: 'webhooks.get', min: 'admin', call: async (c, t) => c.webhooks.get({ id: (await matrixWebhook(t)).id }) },
  { path: 'webhooks.deliveries', min: 'admin', call: async (c, t) => c.webhooks.deliveries({ id: (await matrixWebhook(t)).id }) },
  { path: 'webhooks.create', min: 'admin', call: (c) => c.webhooks.create({ name: `wh-${Math.random().toString(36).slice(2, 10)}`, url: 'http://127.0.0.1:9/matrix', events: ['halt_engaged'] }) },
  { path: 'webhooks.update', min: 'admin', call: async (c, t) => { const w = await matrixWebhook(t); return c.webhooks.update({ id: w.id, version: w.version, name: w.name, url: 'http://127.0.0.1:9/edited', events: ['halt_released'], format: 'slack' }); } },
  { path: 'webhooks.rotateSecret', min: 'admin', call: async (c, t) => { const w = await matrixWebhook(t); return c.webhooks.rotateSecret({ id: w.id, version: w.version }); } },
  { path: 'webhooks.remove', min: 'admin', call: async (c, t) => { const w = await matrixWebhook(t); return c.webhooks.remove({ id: w.id, version: w.version }); } },
  { path: 'webhooks.test', min: 'admin', call: async (c, t) => c.webhooks.test({ id: (await matrixWebhook(t)).id }) },
];

const matrixActor = { id: null, name: 'matrix' };
async function matrixExperiment(t: TestDb) {
  const { id } = await createExperiment(t.db, matrixActor, { draft: draftFor('svc-matrix') });
  return t.db.experiment.findUniqueOrThrow({ where: { id } });
}
async function matrixSchedule(t: TestDb) {
  const { id } = await createSchedule(t.db, matrixActor, { experimentId: (await matrixExperiment(t)).id, cron: '0 3 * * *' });
  return t.db.experimentSchedule.findUniqueOrThrow({ where: { id } });
}
const matrixWindow = (t: TestDb) =>
  t.db.freezeWindow.create({ data: { name: 'matrix', reason: 'matrix', kind: 'one_off', startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000), createdByName: 'matrix' } });

const matrixWebhook = (t: TestDb) =>
  t.db.webhookSubscription.create({ data: { name: `matrix-${Math.random().toString(36).slice(2, 10)}`, url: 'http://127.0.0.1:9/matrix', events: ['halt_engaged'], secret: 'whsec_matrix', createdByName: 'matrix' } });

function expectBadRequest(err: unknown) {
  // Reaching the password check means the role guard let the caller through.
  if (err instanceof TRPCError && err.code === 'BAD_REQUEST') return 'reached';
  throw err;
}

const roles: Array<Role | null> = [null, 'viewer', 'operator', 'approver', 'admin'];
const rank = { public: -1, viewer: 0, operator: 1, approver: 2, admin: 3 } as const;
const allowed = (role: Role | null, min: Role | 'public') => min === 'public' || (role !== null && rank[role] >= rank[min]);

// One signed-in user per role for the whole matrix: what is checked is the role guard, and a
// fresh user per case cost 520 scrypt hashes (most of this file's time on a loaded machine).
// No case acts on its caller's own account beyond what every role may do to itself.
const callers = new Map<Role | null, Promise<Caller>>();
function callerFor(role: Role | null): Promise<Caller> {
  let c = callers.get(role);
  if (!c) {
    c = callerAs(t.db, role).then((r) => r.caller);
    // A failed sign-up fails this case only, the next one tries again.
    c.catch(() => callers.delete(role));
    callers.set(role, c);
  }
  return c;
}

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r-matrix', zones: [{ name: 'z-matrix', clusters: ['c-matrix'] }] }],
    services: [{ name: 'svc-matrix', placement: [{ cluster: 'c-matrix', versions: { v1: 2 } }] }],
  });
  await makeDefaultPolicies(t.db);
});
afterAll(() => t.close());

describe('role matrix', () => {
  it('covers every procedure of the router', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(matrix.map((m) => m.path).sort()).toEqual(procedures);
  });

  it("each procedure's declared least role (its tier's meta, which REST and OpenAPI read) is the one proven here", () => {
    const declared = (path: string) => (appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { minRole?: string } } }>)[path]?._def.meta?.minRole;
    expect(matrix.map((m) => [m.path, declared(m.path)])).toEqual(matrix.map((m) => [m.path, m.min]));
  });

  for (const m of matrix) {
    for (const role of roles) {
      const expectation = allowed(role, m.min) ? 'allows' : 'refuses';
      it(`${m.path} ${expectation} ${role ?? 'anonymous'}`, async () => {
        const caller = await callerFor(role);
        const outcome = await m.call(caller, t).then(
          () => 'ok',
          (err: unknown) => (err instanceof TRPCError ? err.code : String(err)),
        );
        if (expectation === 'allows') expect(outcome).toBe('ok');
        else expect(outcome).toBe(role === null ? 'UNAUTHORIZED' : 'FORBIDDEN');
      });
    }
  }
});
