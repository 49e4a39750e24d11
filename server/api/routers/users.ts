import {
  createUser,
  createUserInput,
  listUsers,
  resetPasswordInput,
  resetUserPassword,
  setActiveInput,
  setRoleInput,
  setUserActive,
  setUserRole,
} from '../../services/users/users';
import { adminProcedure, router } from '../trpc';

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.actor, input)),
  setActive: adminProcedure.input(setActiveInput).mutation(({ ctx, input }) => setUserActive(ctx.db, ctx.actor, input)),
  resetPassword: adminProcedure.input(resetPasswordInput).mutation(({ ctx, input }) => resetUserPassword(ctx.db, ctx.actor, input)),
});
