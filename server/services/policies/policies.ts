// Versioned policies (SPEC §4.5): a global document per kind, optional per-service overrides.
// Every publish is a new version (compare-and-set on the current one), audited; a rollback is a
// new version equal to an old one; operators keep drafts, admins publish.
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { POLICY_KINDS, diffPolicies, fieldSpecs, validatePolicy, withDefaults, type PolicyKind } from '../../domain/policy-schemas';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { freeText, int32, jsonObject, text, version } from '../../domain/inputs';

export const scopeSchema = z.union([z.literal('global'), z.string().max(44, 'Scope: global or service:<id>').regex(/^service:[0-9a-f-]{36}$/, 'Scope: global or service:<id>')]);
const kind = z.enum(POLICY_KINDS, { error: `Kind: one of ${POLICY_KINDS.join(', ')}` });
const doc = jsonObject('The policy');

export const policyRef = z.object({ kind, scope: scopeSchema });
export const publishInput = policyRef.extend({
  /** The version the editor started from; 0 = creating a service override. */
  expectedVersion: int32(0),
  document: doc,
  message: text(500, { min: 1, multiline: true, required: 'Say what changed and why' }),
});
export const rollbackInput = policyRef.extend({ toVersion: version(), expectedVersion: version(), message: freeText(500).default('') });
export const draftInput = policyRef.extend({ baseVersion: int32(0), document: doc });
export const diffInput = policyRef.extend({ a: version(), b: version() });

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonObject;
const serviceIdOf = (scope: string) => (scope === 'global' ? null : scope.slice('service:'.length));

function validOrThrow(k: PolicyKind, document: unknown) {
  const v = validatePolicy(k, document);
  if (!v.ok) throw new AppError('BAD_REQUEST', 'The policy has invalid fields; see the messages next to them.', Object.fromEntries(Object.entries(v.errors).map(([p, m]) => [`document.${p}`, m])));
  return v.document;
}

/** Every policy: the global one per kind and the service overrides, newest change first. */
export async function listPolicies(db: Db) {
  const rows = await db.policy.findMany({ include: { service: { select: { name: true } }, versions: { orderBy: { version: 'desc' }, take: 1 } }, orderBy: [{ kind: 'asc' }, { scope: 'asc' }] });
  return rows.map((r) => ({
    kind: r.kind,
    scope: r.scope,
    serviceName: r.service?.name ?? null,
    version: r.version,
    updatedAt: r.updatedAt,
    lastAuthor: r.versions[0]?.authorName ?? null,
    lastMessage: r.versions[0]?.message ?? null,
  }));
}

/** One policy with its history, drafts and the form's field specs. A missing override starts from the global document. */
export async function getPolicy(db: Db, input: z.input<typeof policyRef>) {
  const { kind: k, scope } = policyRef.parse(input);
  const row = await db.policy.findUnique({ where: { kind_scope: { kind: k, scope } }, include: { versions: { orderBy: { version: 'desc' } }, drafts: { orderBy: { updatedAt: 'desc' } } } });
  const global = scope === 'global' ? row : await db.policy.findUnique({ where: { kind_scope: { kind: k, scope: 'global' } } });
  const serviceId = serviceIdOf(scope);
  const service = serviceId ? await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true } }) : null;
  if (serviceId && !service) throw notFound('That service');
  return {
    kind: k,
    scope,
    service,
    exists: row !== null,
    version: row?.version ?? 0,
    document: withDefaults(k, row?.document ?? global?.document),
    inheritedFrom: row ? null : 'global',
    fields: fieldSpecs(k),
    versions: (row?.versions ?? []).map((v) => ({ version: v.version, authorName: v.authorName, message: v.message, rollbackOf: v.rollbackOf, createdAt: v.createdAt })),
    drafts: (row?.drafts ?? []).map((d) => ({ id: d.id, authorName: d.authorName, baseVersion: d.baseVersion, document: d.document, updatedAt: d.updatedAt })),
  };
}

export async function diffVersions(db: Db, input: z.input<typeof diffInput>) {
  const { kind: k, scope, a, b } = diffInput.parse(input);
  const row = await db.policy.findUnique({ where: { kind_scope: { kind: k, scope } }, select: { id: true } });
  if (!row) throw notFound('That policy');
  const [va, vb] = await Promise.all([a, b].map((v) => db.policyVersion.findUnique({ where: { policyId_version: { policyId: row.id, version: v } } })));
  if (!va || !vb) throw notFound(`Version ${!va ? a : b}`);
  return diffPolicies(withDefaults(k, va.document), withDefaults(k, vb.document));
}

async function conflict(tx: Parameters<Parameters<typeof runCommand>[2]>[0]['tx'], k: PolicyKind, policyId: string, expected: number, current: number, document: unknown, mine: unknown) {
  const last = await tx.policyVersion.findFirst({ where: { policyId }, orderBy: { version: 'desc' } });
  const by = last ? ` by ${last.authorName} at ${last.createdAt.toISOString()}${last.message ? ` ("${last.message}")` : ''}` : '';
  return new AppError('CONFLICT', `This policy was changed${by}: it is now at version ${current}, you edited version ${expected}. Review the differences, then publish again.`, undefined, {
    currentVersion: current,
    changedBy: last?.authorName ?? null,
    diff: diffPolicies(withDefaults(k, document), withDefaults(k, mine)),
  });
}

export async function publishPolicy(db: Db, actor: Actor, input: z.input<typeof publishInput>) {
  const data = publishInput.parse(input);
  const document = validOrThrow(data.kind, data.document);
  const serviceId = serviceIdOf(data.scope);
  return runCommand(db, actor, async (ctx) => {
    let row = await ctx.tx.policy.findUnique({ where: { kind_scope: { kind: data.kind, scope: data.scope } } });
    if (!row) {
      if (data.expectedVersion !== 0 || !serviceId) throw new AppError('NOT_FOUND', 'That policy does not exist.');
      if (!(await ctx.tx.service.findUnique({ where: { id: serviceId }, select: { id: true } }))) throw notFound('That service');
      row = await ctx.tx.policy.create({ data: { kind: data.kind, scope: data.scope, serviceId, document: json(document), version: 0 } });
    }
    const { count } = await ctx.tx.policy.updateMany({ where: { id: row.id, version: data.expectedVersion }, data: { document: json(document), version: { increment: 1 }, updatedById: actor.id } });
    if (count === 0) throw await conflict(ctx.tx, data.kind, row.id, data.expectedVersion, row.version, row.document, document);
    const version = data.expectedVersion + 1;
    await ctx.tx.policyVersion.create({ data: { policyId: row.id, version, document: json(document), message: data.message, authorId: actor.id, authorName: actor.name } });
    await ctx.tx.policyDraft.deleteMany({ where: { policyId: row.id, authorId: actor.id } });
    const service = serviceId ? await ctx.tx.service.findUnique({ where: { id: serviceId }, select: { name: true } }) : null;
    await ctx.audit({
      action: 'policy.publish',
      targetType: 'policy',
      targetId: row.id,
      targetName: `${data.kind} · ${service?.name ?? 'global'}`,
      before: { version: data.expectedVersion, document: row.document },
      after: { version, message: data.message, kind: data.kind, scope: data.scope, serviceId, document },
    });
    await ctx.emit('policy.changed', { kind: data.kind, scope: data.scope, version });
    return { id: row.id, version };
  });
}

export async function rollbackPolicy(db: Db, actor: Actor, input: z.input<typeof rollbackInput>) {
  const data = rollbackInput.parse(input);
  const row = await db.policy.findUnique({ where: { kind_scope: { kind: data.kind, scope: data.scope } } });
  if (!row) throw notFound('That policy');
  const old = await db.policyVersion.findUnique({ where: { policyId_version: { policyId: row.id, version: data.toVersion } } });
  if (!old) throw notFound(`Version ${data.toVersion}`);
  const res = await publishPolicy(db, actor, { kind: data.kind, scope: data.scope, expectedVersion: data.expectedVersion, document: old.document as Record<string, unknown>, message: data.message || `Roll back to version ${data.toVersion}` });
  await db.policyVersion.update({ where: { policyId_version: { policyId: row.id, version: res.version } }, data: { rollbackOf: data.toVersion } });
  return res;
}

/** An operator's proposal: kept per author until an admin publishes it (or it is replaced). */
export async function saveDraft(db: Db, actor: Actor, input: z.input<typeof draftInput>) {
  const data = draftInput.parse(input);
  const document = validOrThrow(data.kind, data.document);
  return runCommand(db, actor, async (ctx) => {
    const row = await ctx.tx.policy.findUnique({ where: { kind_scope: { kind: data.kind, scope: data.scope } } });
    if (!row) throw new AppError('PRECONDITION_FAILED', 'Drafts are kept for existing policies; an admin creates a service override by publishing it.');
    await ctx.tx.policyDraft.deleteMany({ where: { policyId: row.id, authorId: actor.id } });
    const d = await ctx.tx.policyDraft.create({ data: { policyId: row.id, baseVersion: data.baseVersion, document: json(document), authorId: actor.id, authorName: actor.name } });
    await ctx.audit({ action: 'policy.draft', targetType: 'policy', targetId: row.id, targetName: `${data.kind} · ${data.scope}`, after: { baseVersion: data.baseVersion } });
    return { id: d.id };
  });
}
