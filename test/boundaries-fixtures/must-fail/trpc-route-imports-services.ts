// lint-as: app/api/trpc/[trpc]/__boundaries_fixture__.ts
import { listUsers } from '@/server/services/users/users';
export const x = listUsers;
