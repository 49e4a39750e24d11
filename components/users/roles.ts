import type { Role } from '@/server/db/generated/enums';

// Client copy of the role order (server/auth/roles.ts is server code; client code imports
// server types only). The type check below fails the build if a role is added there.
export const ROLE_OPTIONS = ['viewer', 'operator', 'approver', 'admin'] as const satisfies readonly Role[];
type MissingRole = Exclude<Role, (typeof ROLE_OPTIONS)[number]>;
export const _allRolesListed: [MissingRole] extends [never] ? true : never = true;

export const ROLE_HINTS: Record<Role, string> = {
  viewer: 'sees everything, changes nothing',
  operator: 'authors and runs rollouts and experiments',
  approver: 'operator rights, plus approves and promotes',
  admin: 'everything, plus policies, users and adapters',
};

export function isRole(v: string): v is Role {
  return (ROLE_OPTIONS as readonly string[]).includes(v);
}
