import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { openTestDb, type TestDb } from '../../../test/context';
import { rolloutFleet, specFor } from '../../../test/rollout-fixtures';
import { actorOf, chaosFleet, experimentOf } from '../../../test/safety-fixtures';
import { AppError } from '../../errors';
import { exampleSpec } from '../../domain/rollouts/spec';
import { rolloutToArgo } from '../../domain/manifests/argo-export';
import { createSchedule } from '../experiments/schedules';
import { createRollout } from '../rollouts/rollout-commands';
import { experimentManifest, importExperiment, importRollout, rolloutManifest } from './manifests';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AppError,
  );

describe('rollout manifests', () => {
  it('exports a stored rollout as Argo Rollouts and imports it back as a new pending rollout, audited like a create', async () => {
    const f = await rolloutFleet(t.db);
    const spec = exampleSpec(f.service.name);
    const { id } = await createRollout(t.db, actorOf(f.operator), { spec });
    const out = await rolloutManifest(t.db, { id });
    expect(out).toMatchObject({ format: 'argo-rollouts', kinds: ['Rollout', 'AnalysisTemplate', 'AnalysisTemplate'] });
    expect(out.fileName).toMatch(/\.argo-rollouts\.yaml$/);
    expect(parseAllDocuments(out.yaml)).toHaveLength(3);
    expect(out.notes.join('\n')).toMatch(/sequential test/);

    const imported = await importRollout(t.db, actorOf(f.operator), { yaml: out.yaml });
    expect(imported.id).not.toBe(id);
    expect(imported.notes).toEqual([]);
    const row = await t.db.rollout.findUniqueOrThrow({ where: { id: imported.id } });
    expect(row).toMatchObject({ state: 'pending', name: spec.name, createdByName: f.operator.name });
    expect(row.spec).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(await t.db.auditEvent.count({ where: { action: 'rollout.create', targetId: imported.id, actorName: f.operator.name } })).toBe(1);
  });

  it('refuses YAML it cannot read, and a rollout of an unknown service, in words — nothing created', async () => {
    const f = await rolloutFleet(t.db);
    const before = await t.db.rollout.count();
    const bad = await caught(importRollout(t.db, actorOf(f.operator), { yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n' }));
    expect(bad).toBeInstanceOf(AppError);
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/cannot be imported as a rollout: No Argo Rollout in the YAML/);
    expect(bad.fieldErrors?.yaml?.[0]).toMatch(/No Argo Rollout/);
    const unknown = await caught(importRollout(t.db, actorOf(f.operator), { yaml: rolloutToArgo(specFor('no-such-service', [{ kind: 'setWeight', weight: 5 }])).yaml }));
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown.message).toMatch(/no-such-service/);
    expect(await t.db.rollout.count()).toBe(before);
  });

  it('answers not found for a rollout that does not exist', async () => {
    const err = await caught(rolloutManifest(t.db, { id: '00000000-0000-4000-8000-000000000000' }));
    expect(err.code).toBe('NOT_FOUND');
  });
});

describe('experiment manifests', () => {
  it('exports an experiment with its schedule as a Chaos Mesh Schedule; importing it next to the original renames it', async () => {
    const f = await chaosFleet(t.db);
    const e = await experimentOf(t.db, f, { name: `jitter ${f.n}` });
    const plain = await experimentManifest(t.db, { id: e.id });
    expect(plain).toMatchObject({ format: 'chaos-mesh', kinds: ['NetworkChaos'] });
    expect(plain.yaml).toMatch(/latency: 200ms\n\s+jitter: 300ms/);

    await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '0 3 * * *', concurrency: 'allow', historyLimit: 4 });
    const scheduled = await experimentManifest(t.db, { id: e.id });
    expect(scheduled.kinds).toEqual(['Schedule']);
    expect(scheduled.yaml).toMatch(/concurrencyPolicy: Allow/);

    const first = await importExperiment(t.db, actorOf(f.operator), { yaml: plain.yaml });
    expect(first.name).toBe(`jitter ${f.n} (imported)`);
    expect(first.notes[0]).toMatch(/exists already: the draft is named "jitter .* \(imported\)"/);
    const second = await importExperiment(t.db, actorOf(f.operator), { yaml: scheduled.yaml });
    expect(second.name).toBe(`jitter ${f.n} (imported 2)`);
    expect(second.notes.join('\n')).toMatch(/The schedule \(0 3 \* \* \*\) is not created by the import/);
    const row = await t.db.experiment.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.spec).toEqual(JSON.parse(JSON.stringify(e.spec)));
    expect(row.description).toBe(e.description);
    expect(await t.db.auditEvent.count({ where: { action: 'experiment.create', targetId: first.id } })).toBe(1);
  });

  it('refuses Chaos Mesh YAML it does not understand, in words', async () => {
    const f = await chaosFleet(t.db);
    const err = await caught(importExperiment(t.db, actorOf(f.operator), { yaml: 'apiVersion: chaos-mesh.org/v1alpha1\nkind: IOChaos\nmetadata: { name: io }\nspec: {}\n' }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/cannot be imported as an experiment: No Chaos Mesh resource/);
  });
});
