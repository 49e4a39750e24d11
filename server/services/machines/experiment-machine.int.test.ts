import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { EXPERIMENT_TEMPLATES } from '../../domain/experiments/templates';
import { listInStateNow, getMachineHistory } from './machine-fleet';
import { getMachineView, listEdgeTransitions } from './machines';

let t: TestDb;
const now = Date.now();
const range = { machine: 'experiment' as const, from: now - 3600_000, to: now + 60_000 };
let aborted: string;
let live: string;

beforeAll(async () => {
  t = await openTestDb();
  const spec = EXPERIMENT_TEMPLATES[0]!.spec;
  const x = await t.db.experiment.create({ data: { name: 'jitter', spec: spec as never, createdByName: 'olga' } });
  const run = (number: number, data: object) => t.db.experimentRun.create({ data: { experimentId: x.id, number, spec: spec as never, experimentVersion: 1, startedByName: 'olga', ...data } });
  aborted = (await run(1, { state: 'aborted', abortReason: 'halted', endedAt: new Date(now - 700_000), stateDetail: 'halt-all engaged by olga' })).id;
  live = (await run(2, { state: 'running', stateDetail: 'fault in place until 01:10' })).id;
  await run(3, { state: 'completed', endedAt: new Date(now - 100_000) });
  const ev = (runId: string, s: number, fromState: string | null, toState: string | null, kind = 'state') =>
    ({ at: new Date(now - s * 1000), runId, kind, fromState: fromState as never, toState: toState as never, summary: `${fromState} → ${toState}`, actorName: 'controller' });
  await t.db.experimentRunEvent.createMany({
    data: [
      ev(aborted, 900, 'pending', 'injecting'),
      ev(aborted, 890, 'injecting', 'running'),
      ev(aborted, 800, 'running', 'recovering'),
      ev(aborted, 700, 'recovering', 'aborted'),
      ev(live, 300, 'pending', 'injecting'),
      ev(live, 290, 'injecting', 'running'),
      // Not state changes, or outside the range: not counted.
      ev(live, 280, null, null, 'injected'),
      ev(live, 270, 'running', 'recovering', 'halt'),
      ev(live, 7200, 'pending', 'injecting'),
    ],
  });
});
afterAll(() => t.close());

describe('the chaos run machine on the Machines page', () => {
  it('counts state changes per edge from the run log, and runs per state now', async () => {
    const v = await getMachineView(t.db, range);
    expect(v.diagram.machine).toBe('experiment');
    expect(v.diagram.states.map((s) => s.id)).toEqual(['pending', 'injecting', 'running', 'recovering', 'completed', 'aborted', 'failed', 'skipped']);
    expect(v.fired).toEqual({ 'pending>injecting': 2, 'injecting>running': 2, 'running>recovering': 1, 'recovering>aborted': 1 });
    expect(v.now).toEqual({ pending: 0, injecting: 0, running: 1, recovering: 0, completed: 1, aborted: 1, failed: 0, skipped: 0 });
    expect(v.counted).toBe(3);
    expect(v.current).toBeNull();
    // Every counted edge is one the machine draws.
    for (const id of Object.keys(v.fired)) expect(v.diagram.edges.map((e) => e.id)).toContain(id);
  });

  it('lights one run and counts only its transitions', async () => {
    const v = await getMachineView(t.db, { ...range, run: live });
    expect(v.current).toBe('running');
    expect(v.run).toEqual({ id: live, name: 'jitter #2', state: 'running' });
    expect(v.fired).toEqual({ 'pending>injecting': 1, 'injecting>running': 1 });
  });

  it('lists the transitions behind an edge, and who is in a state now with why', async () => {
    const rows = await listEdgeTransitions(t.db, { ...range, fromState: 'recovering', toState: 'aborted' });
    expect(rows).toEqual([expect.objectContaining({ instance: 'jitter #1', runId: aborted, cause: 'recovering → aborted (controller)' })]);
    const inState = await listInStateNow(t.db, { ...range, state: 'aborted' });
    expect(inState).toEqual([expect.objectContaining({ instance: 'jitter #1', runId: aborted, cause: 'halt-all engaged by olga' })]);
    expect((await getMachineHistory(t.db, range)).points).toEqual([]);
  });

  it('says in words when the run does not exist', async () => {
    await expect(getMachineView(t.db, { ...range, run: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/Experiment run 00000000-0000-4000-8000-000000000000 does not exist/);
  });
});
