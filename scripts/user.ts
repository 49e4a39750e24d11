// `npm run user -- <command>`: user recovery from the command line (e.g. a lost admin password).
// Works against DATABASE_URL, the embedded PostgreSQL of a running `npm start`, or starts the
// embedded one for the duration of the command.
import { parseArgs } from 'node:util';
import { createDb, type Db } from '../server/db/client';
import { env as loadEnv, EnvError } from '../server/env';
import { ROLES } from '../server/auth/roles';
import { createUser, resetUserPassword, setUserActive, setUserRole } from '../server/services/users/users';
import { AppError } from '../server/errors';
import { resolveDatabase } from './lib/database';

const USAGE = `Usage: npm run user -- <command>
  list
  create <name> --role <${ROLES.join('|')}> [--display-name "Full Name"]   (prints a generated password)
  reset-password <name>                                                   (prints a new password, ends its sessions)
  set-role <name> <${ROLES.join('|')}>
  deactivate <name>
  activate <name>`;

const actor = { id: null, name: 'cli' };

async function byName(db: Db, name: string | undefined) {
  if (!name) throw new AppError('BAD_REQUEST', `Name the user.\n${USAGE}`);
  const user = await db.user.findUnique({ where: { name } });
  if (!user) throw new AppError('NOT_FOUND', `There is no user named "${name}". \`npm run user -- list\` shows them.`);
  return user;
}

async function run(db: Db, argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, 'display-name': { type: 'string' } },
  });
  const [command, name, extra] = positionals;
  switch (command) {
    case 'list': {
      const users = await db.user.findMany({ orderBy: { name: 'asc' } });
      return users.map((u) => `${u.name.padEnd(24)} ${u.role.padEnd(9)} ${u.active ? 'active' : 'deactivated'}`).join('\n') || '(no users)';
    }
    case 'create': {
      const r = await createUser(db, actor, { name: name ?? '', role: values.role as never, displayName: values['display-name'] ?? '' });
      return `created ${r.user.name} (${r.user.role})\npassword: ${r.generatedPassword}`;
    }
    case 'reset-password': {
      const u = await byName(db, name);
      const r = await resetUserPassword(db, actor, { id: u.id, version: u.version });
      return `new password for ${u.name}: ${r.generatedPassword}\n(all of ${u.name}'s sessions were ended)`;
    }
    case 'set-role': {
      const u = await byName(db, name);
      const r = await setUserRole(db, actor, { id: u.id, version: u.version, role: extra as never });
      return `${r.name} is now ${r.role}`;
    }
    case 'deactivate':
    case 'activate': {
      const u = await byName(db, name);
      const r = await setUserActive(db, actor, { id: u.id, version: u.version, active: command === 'activate' });
      return `${r.name} is now ${r.active ? 'active' : 'deactivated'}`;
    }
    default:
      throw new AppError('BAD_REQUEST', command ? `Unknown command "${command}".\n${USAGE}` : USAGE);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof AppError && err.fieldErrors) {
    const fields = Object.entries(err.fieldErrors).map(([f, m]) => `  ${f}: ${m.join('; ')}`);
    return `${err.message}\n${fields.join('\n')}`;
  }
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray(err.issues)) {
    return (err.issues as Array<{ path: unknown[]; message: string }>).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n');
  }
  return err instanceof Error ? err.message : String(err);
}

async function main() {
  const e = loadEnv();
  const database = await resolveDatabase(e, () => undefined);
  const db = createDb(database.url, 2);
  try {
    console.log(await run(db, process.argv.slice(2)));
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : describeError(err));
  process.exit(1);
});
