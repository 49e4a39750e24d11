// Versioned policies (SPEC §4.5): a global document per kind, optional per-service overrides.
// Every publish is a new version (compare-and-set on the current one), audited; a rollback is a
// new version equal to an old one; operators keep drafts, admins publish.
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { POLICY_KINDS, diffPolicies, policyMessage, fieldSpecs, validatePolicy, withDefaults, type PolicyKind } from '../../domain/policy-schemas';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor, type CommandContext } from '../command';
import { compareAndSet, type CurrentRow } from '../compare-and-set';
import { freeText, int32, jsonObject, version } from '../../domain/inputs';

export const scopeSchema = z.union([z.literal('global'), z.string().max(44, 'Scope: global or service:<id>').regex(/^service:[0-9a-f-]{36}$/, 'Scope: global or service:<id>')]);
const kind = z.enum(POLICY_KINDS, { error: `Kind: one of ${POLICY_KINDS.join(', ')}` });
const doc = jsonObject('The policy');

export const policyRef = z.object({ kind, scope: scopeSchema });
export const publishInput = policyRef.extend({
  /** The version the editor started from; 0 = creating a service override. */
  expectedVersion: int32(0),
  document: doc,
  message: policyMessage,
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
    // A draft keeps the document it was based on, so loading it shows (and rebases) only its own changes.
    drafts: (row?.drafts ?? []).map((d) => {
      const base = row?.versions.find((v) => v.version === d.baseVersion);
      return { id: d.id, authorName: d.authorName, baseVersion: d.baseVersion, baseDocument: base ? withDefaults(k, base.document) : null, document: withDefaults(k, d.document), updatedAt: d.updatedAt };
    }),
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

type Ctx = CommandContext;

/** What the policy looked like at `version` (0 = before the override existed: the global document). */
async function documentAt(ctx: Ctx, k: PolicyKind, policyId: string, version: number): Promise<Record<string, unknown> | null> {
  if (version > 0) {
    const v = await ctx.tx.policyVersion.findUnique({ where: { policyId_version: { policyId, version } }, select: { document: true } });
    return v ? withDefaults(k, v.document) : null;
  }
  const global = await ctx.tx.policy.findUnique({ where: { kind_scope: { kind: k, scope: 'global' } }, select: { document: true } });
  return global ? withDefaults(k, global.document) : null;
}

/**
 * After a lost compare-and-set: who published the current version, what changed since the
 * version the editor was based on (their changes), and how the current document differs from the
 * one being published — enough for the editor to rebase field by field.
 */
function policyCas(ctx: Ctx, k: PolicyKind, policyId: string, label: string, expected: number, mine: Record<string, unknown>) {
  return {
    row: { type: 'policy', id: policyId, label },
    expected,
    versionActions: ['policy.publish', 'policy.rollback'],
    current: async () => {
      const row = await ctx.tx.policy.findUnique({ where: { id: policyId }, select: { version: true, document: true } });
      if (!row) return null;
      const last = await ctx.tx.policyVersion.findUnique({ where: { policyId_version: { policyId, version: row.version } } });
      return { version: row.version, values: { document: withDefaults(k, row.document) }, changedBy: last?.authorName ?? null, changedAt: last?.createdAt ?? null };
    },
    details: async (now: CurrentRow) => {
      const current = now.values.document as Record<string, unknown>;
      const base = await documentAt(ctx, k, policyId, expected);
      const since = await ctx.tx.policyVersion.findMany({ where: { policyId, version: { gt: expected } }, orderBy: { version: 'asc' }, select: { version: true, authorName: true, message: true, createdAt: true, rollbackOf: true } });
      return {
        baseVersion: expected,
        baseDocument: base,
        theirChanges: base ? diffPolicies(base, current) : [],
        diff: diffPolicies(current, withDefaults(k, mine)),
        versionsSince: since.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
      };
    },
  };
}

interface NewVersion {
  kind: PolicyKind;
  scope: string;
  expectedVersion: number;
  document: Record<string, unknown>;
  message: string;
  /** Set when this version restores an older one. */
  rollbackOf: number | null;
}

/**
 * A new version inside the caller's transaction: compare-and-set on the version the editor
 * started from, the version row, the audit entry (publish or rollback) and the live event.
 */
async function writeVersion(ctx: Ctx, data: NewVersion) {
  const serviceId = serviceIdOf(data.scope);
  const ref = { kind_scope: { kind: data.kind, scope: data.scope } };
  let row = await ctx.tx.policy.findUnique({ where: ref });
  if (!row) {
    if (data.expectedVersion !== 0 || !serviceId) throw new AppError('NOT_FOUND', 'That policy does not exist.');
    if (!(await ctx.tx.service.findUnique({ where: { id: serviceId }, select: { id: true } }))) throw notFound('That service');
    // Two admins creating the same override: the second insert waits for the first, then does
    // nothing, and the compare-and-set below names the winner's version 1 instead of a 500.
    await ctx.tx.policy.createMany({ data: [{ kind: data.kind, scope: data.scope, serviceId, document: json(data.document), version: 0 }], skipDuplicates: true });
    row = await ctx.tx.policy.findUniqueOrThrow({ where: ref });
  }
  const service = serviceId ? await ctx.tx.service.findUnique({ where: { id: serviceId }, select: { name: true } }) : null;
  const targetName = `${data.kind} · ${service?.name ?? 'global'}`;
  const policyId = row.id;
  await compareAndSet(ctx.tx, {
    ...(policyCas(ctx, data.kind, policyId, `The ${data.kind} policy (${service?.name ?? 'global default'})`, data.expectedVersion, data.document)),
    write: () => ctx.tx.policy.updateMany({ where: { id: policyId, version: data.expectedVersion }, data: { document: json(data.document), version: { increment: 1 }, updatedById: ctx.actor.id } }),
  });
  const version = data.expectedVersion + 1;
  await ctx.tx.policyVersion.create({ data: { policyId, version, document: json(data.document), message: data.message, authorId: ctx.actor.id, authorName: ctx.actor.name, rollbackOf: data.rollbackOf } });
  await ctx.tx.policyDraft.deleteMany({ where: { policyId, authorId: ctx.actor.id } });
  await ctx.audit({
    action: data.rollbackOf === null ? 'policy.publish' : 'policy.rollback',
    targetType: 'policy',
    targetId: policyId,
    targetName,
    before: { version: data.expectedVersion, document: row.document },
    after: { version, message: data.message, kind: data.kind, scope: data.scope, serviceId, rollbackOf: data.rollbackOf, document: data.document },
  });
  await ctx.emit('policy.changed', { kind: data.kind, scope: data.scope, version });
  return { id: policyId, version };
}

export async function publishPolicy(db: Db, actor: Actor, input: z.input<typeof publishInput>) {
  const data = publishInput.parse(input);
  const document = validOrThrow(data.kind, data.document);
  return runCommand(db, actor, (ctx) => writeVersion(ctx, { ...data, document, rollbackOf: null }), { input: data });
}

/** A rollback is one command: it reads the old version, and publishes it, in the same transaction. */
export async function rollbackPolicy(db: Db, actor: Actor, input: z.input<typeof rollbackInput>) {
  const data = rollbackInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const row = await ctx.tx.policy.findUnique({ where: { kind_scope: { kind: data.kind, scope: data.scope } }, select: { id: true } });
    if (!row) throw notFound('That policy');
    const old = await ctx.tx.policyVersion.findUnique({ where: { policyId_version: { policyId: row.id, version: data.toVersion } } });
    if (!old) throw notFound(`Version ${data.toVersion}`);
    // An old version may predate fields added since: it is restored with today's defaults for them.
    const document = validOrThrow(data.kind, withDefaults(data.kind, old.document));
    return writeVersion(ctx, { kind: data.kind, scope: data.scope, expectedVersion: data.expectedVersion, document, message: data.message || `Roll back to version ${data.toVersion}`, rollbackOf: data.toVersion });
  }, { input: data });
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
