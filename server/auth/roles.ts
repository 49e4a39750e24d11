import type { Role } from '../db/generated/enums';

// Roles are ordered: each includes the rights of the ones before it (SPEC §4.9).
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const satisfies readonly Role[];

const rank: Record<Role, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

export function hasRole(actual: Role, required: Role): boolean {
  return rank[actual] >= rank[required];
}

export const roleDescriptions: Record<Role, string> = {
  viewer: 'Sees everything, changes nothing',
  operator: 'Authors and runs rollouts and experiments',
  approver: 'Operator rights, plus approves and promotes',
  admin: 'Everything, plus policies, users and adapters',
};
