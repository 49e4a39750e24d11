import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Role } from '../../db/generated/enums';
import { AppError, notFound } from '../../errors';
import { generatePassword, hashPassword, passwordRule, verifyPassword } from '../../auth/password';
import { createSession } from '../../auth/sessions';
import { admitLoginAttempt, loginSucceeded } from '../../auth/throttle';
import { ROLES } from '../../auth/roles';
import { runCommand, type Actor, type CommandContext } from '../command';
import { revokeAllForUser } from '../tokens/tokens';
import { compareAndSet, staleVersionError, type CurrentRow } from '../compare-and-set';
import { LIMITS, text, uuid, version } from '../../domain/inputs';

export const userName = text(32, { min: 1, required: 'Enter a user name' })
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'Use 2–32 lowercase letters, digits, dots, dashes or underscores, starting with a letter');
export const password = text(passwordRule.max, { trim: false })
  .min(passwordRule.min, `At least ${passwordRule.min} characters`);
export const role = z.enum(ROLES, { error: 'Choose one of viewer, operator, approver, admin' });

export const createUserInput = z.object({
  name: userName,
  displayName: text(80).default(''),
  role,
  /** Empty: a password is generated and shown once. */
  password: password.optional(),
});
export const setRoleInput = z.object({ id: uuid(), role, version: version() });
export const setActiveInput = z.object({ id: uuid(), active: z.boolean(), version: version() });
export const resetPasswordInput = z.object({ id: uuid(), version: version() });
export const changeOwnPasswordInput = z.object({ current: text(passwordRule.max, { min: 1, trim: false, required: 'Enter your current password' }), next: password });
export const loginInput = z.object({
  name: text(LIMITS.token, { min: 1, required: 'Enter your user name' }),
  password: text(passwordRule.max, { min: 1, trim: false, required: 'Enter your password' }),
});

const publicUser = {
  id: true,
  name: true,
  displayName: true,
  role: true,
  active: true,
  version: true,
  lastLoginAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const snapshot = (u: { name: string; role: Role; active: boolean; displayName: string }) => ({
  name: u.name,
  displayName: u.displayName,
  role: u.role,
  active: u.active,
});

export function listUsers(db: Db) {
  return db.user.findMany({ select: publicUser, orderBy: { name: 'asc' } });
}

export async function createUser(db: Db, actor: Actor, input: z.input<typeof createUserInput>) {
  const data = createUserInput.parse(input);
  const plain = data.password ?? generatePassword();
  const passwordHash = await hashPassword(plain);
  return runCommand(db, actor, async (ctx) => {
    const taken = await ctx.tx.user.findUnique({ where: { name: data.name }, select: { id: true } });
    if (taken) throw new AppError('CONFLICT', `A user named "${data.name}" already exists.`, { name: ['This name is taken'] });
    const user = await ctx.tx.user.create({
      data: { name: data.name, displayName: data.displayName, role: data.role, passwordHash },
      select: publicUser,
    });
    await ctx.audit({ action: 'user.create', targetType: 'user', targetId: user.id, targetName: user.name, after: snapshot(user) });
    await ctx.emit('user.changed', { id: user.id, name: user.name });
    return { user, generatedPassword: data.password ? null : plain };
  }, { input: data });
}

/** Audit actions that move a user's version: the newest names who changed the row last. */
const USER_VERSION_ACTIONS = ['user.create', 'user.set-role', 'user.activate', 'user.deactivate', 'user.reset-password', 'user.change-password'] as const;

const userRow = (id: string, name: string) => ({ row: { type: 'user', id, label: `User "${name}"` }, versionActions: USER_VERSION_ACTIONS });

async function currentUser(ctx: CommandContext, id: string): Promise<CurrentRow | null> {
  const u = await ctx.tx.user.findUnique({ where: { id }, select: { version: true, role: true, active: true, displayName: true, name: true } });
  return u && { version: u.version, values: { name: u.name, displayName: u.displayName, role: u.role, active: u.active } };
}

async function loadForUpdate(ctx: CommandContext, id: string, version: number) {
  const user = await ctx.tx.user.findUnique({ where: { id } });
  if (!user) throw notFound('That user');
  if (user.version !== version) throw await staleVersionError(ctx.tx, { ...userRow(id, user.name), expected: version }, (await currentUser(ctx, id))!);
  return user;
}

/**
 * Holds the active admins' rows until the transaction ends, so two demotions or deactivations
 * that each leave "another admin" cannot both pass the last-admin check: the second waits, and
 * (READ COMMITTED re-reads a locked row) then counts the admins the first one left.
 */
async function lockActiveAdmins(ctx: CommandContext) {
  await ctx.tx.$queryRaw`SELECT id FROM "User" WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`;
}

async function assertAnotherAdminRemains(ctx: CommandContext, exceptId: string) {
  const others = await ctx.tx.user.count({ where: { role: 'admin', active: true, id: { not: exceptId } } });
  if (others === 0) throw new AppError('PRECONDITION_FAILED', 'This is the last active admin: make another user admin first.');
}

/** Compare-and-set update: only the row at `version` is changed, and the version moves on. */
async function casUpdate(ctx: CommandContext, id: string, version: number, data: { role?: Role; active?: boolean; passwordHash?: string }) {
  const name = (await ctx.tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? id;
  await compareAndSet(ctx.tx, {
    ...userRow(id, name),
    expected: version,
    write: () => ctx.tx.user.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } }),
    current: () => currentUser(ctx, id),
  });
  return ctx.tx.user.findUniqueOrThrow({ where: { id }, select: publicUser });
}

export async function setUserRole(db: Db, actor: Actor, input: z.input<typeof setRoleInput>) {
  const data = setRoleInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    if (data.role !== 'admin') await lockActiveAdmins(ctx);
    const before = await loadForUpdate(ctx, data.id, data.version);
    if (before.role === 'admin' && data.role !== 'admin') await assertAnotherAdminRemains(ctx, before.id);
    const user = await casUpdate(ctx, data.id, data.version, { role: data.role });
    await ctx.audit({ action: 'user.set-role', targetType: 'user', targetId: user.id, targetName: user.name, before: snapshot(before), after: snapshot(user) });
    await ctx.emit('user.changed', { id: user.id, name: user.name });
    return user;
  });
}

export async function setUserActive(db: Db, actor: Actor, input: z.input<typeof setActiveInput>) {
  const data = setActiveInput.parse(input);
  if (!data.active && actor.id === data.id) throw new AppError('PRECONDITION_FAILED', 'You cannot deactivate yourself.');
  return runCommand(db, actor, async (ctx) => {
    if (!data.active) await lockActiveAdmins(ctx);
    const before = await loadForUpdate(ctx, data.id, data.version);
    if (!data.active && before.role === 'admin') await assertAnotherAdminRemains(ctx, before.id);
    const user = await casUpdate(ctx, data.id, data.version, { active: data.active });
    // A deactivated user is signed out everywhere at once, and their API tokens revoked, in the
    // same transaction: no script keeps acting for someone who may no longer act.
    if (!data.active) {
      await ctx.tx.session.deleteMany({ where: { userId: user.id } });
      await revokeAllForUser(ctx, user, 'the user was deactivated');
    }
    await ctx.audit({
      action: data.active ? 'user.activate' : 'user.deactivate',
      targetType: 'user',
      targetId: user.id,
      targetName: user.name,
      before: snapshot(before),
      after: snapshot(user),
    });
    await ctx.emit('user.changed', { id: user.id, name: user.name });
    return user;
  });
}

export async function resetUserPassword(db: Db, actor: Actor, input: z.input<typeof resetPasswordInput>) {
  const data = resetPasswordInput.parse(input);
  const plain = generatePassword();
  const passwordHash = await hashPassword(plain);
  return runCommand(db, actor, async (ctx) => {
    await loadForUpdate(ctx, data.id, data.version);
    const user = await casUpdate(ctx, data.id, data.version, { passwordHash });
    await ctx.tx.session.deleteMany({ where: { userId: user.id } });
    // The password itself never reaches the audit log.
    await ctx.audit({ action: 'user.reset-password', targetType: 'user', targetId: user.id, targetName: user.name });
    await ctx.emit('user.changed', { id: user.id, name: user.name });
    return { user, generatedPassword: plain };
  });
}

/**
 * The signed-in user changes their own password. Every other session of theirs ends in the same
 * transaction (a password change is what you do when you suspect someone else is signed in as
 * you); the session that made the change stays signed in.
 */
export async function changeOwnPassword(
  db: Db,
  actor: Actor & { id: string },
  input: z.input<typeof changeOwnPasswordInput>,
  opts: { keepSessionId: string; ip?: string },
) {
  const data = changeOwnPasswordInput.parse(input);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id } });
  // The current password is checked like a sign-in, under the same throttle: a stolen session
  // must not become a way to guess the password at full speed.
  const admission = await admitLoginAttempt(db, user.name, opts.ip);
  if (!admission.admitted) {
    throw new AppError('TOO_MANY_REQUESTS', `Too many wrong passwords; try again in ${admission.waitS} s.`, undefined, { retryAfterS: admission.waitS });
  }
  if (!(await verifyPassword(data.current, user.passwordHash))) {
    throw new AppError('BAD_REQUEST', 'Your current password is not right.', { current: ['Not your current password'] });
  }
  await loginSucceeded(db, user.name, opts.ip);
  const passwordHash = await hashPassword(data.next);
  return runCommand(db, actor, async (ctx) => {
    await casUpdate(ctx, user.id, user.version, { passwordHash });
    const ended = await ctx.tx.session.deleteMany({ where: { userId: user.id, id: { not: opts.keepSessionId } } });
    await ctx.audit({ action: 'user.change-password', targetType: 'user', targetId: user.id, targetName: user.name, after: { otherSessionsEnded: ended.count } });
    return { ok: true as const, otherSessionsEnded: ended.count };
  });
}

export async function login(
  db: Db,
  input: z.input<typeof loginInput>,
  meta: { userAgent?: string; ip?: string; sessionHours: number },
) {
  const data = loginInput.parse(input);
  const name = data.name.toLowerCase();
  // Booked as a failure before the (slow) password check, so parallel attempts cannot all pass.
  const admission = await admitLoginAttempt(db, name, meta.ip);
  if (!admission.admitted) {
    throw new AppError('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${admission.waitS} s.`, undefined, { retryAfterS: admission.waitS });
  }
  const user = await db.user.findUnique({ where: { name } });
  // Verify even for unknown users so response time does not reveal which names exist.
  const ok = await verifyPassword(data.password, user?.passwordHash ?? 'scrypt$16384$8$1$AAAA$AAAA');
  if (!user || !ok || !user.active) {
    throw new AppError('UNAUTHORIZED', 'Wrong user name or password, or the user is deactivated.', {
      password: ['Wrong user name or password'],
    });
  }
  await loginSucceeded(db, name, meta.ip);
  const session = await runCommand(db, { id: user.id, name: user.name }, async (ctx) => {
    await ctx.tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    const s = await createSession(ctx.tx, user.id, { userAgent: meta.userAgent, ip: meta.ip, hours: meta.sessionHours });
    await ctx.audit({ action: 'session.login', targetType: 'user', targetId: user.id, targetName: user.name });
    return s;
  });
  return { ...session, user: { id: user.id, name: user.name, role: user.role } };
}
