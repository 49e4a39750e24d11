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
import { setTimeZonePreference, setTimeZonePreferenceInput } from '../../services/users/preferences';
import { adminProcedure, router, viewerProcedure } from '../trpc';

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.actor, input)),
  setActive: adminProcedure.input(setActiveInput).mutation(({ ctx, input }) => setUserActive(ctx.db, ctx.actor, input)),
  /** Any signed-in user, for themself only: UTC or local times in the console. */
  setTimeZonePreference: viewerProcedure.input(setTimeZonePreferenceInput).mutation(({ ctx, input }) => setTimeZonePreference(ctx.db, ctx.actor.id, input)),
  resetPassword: adminProcedure.input(resetPasswordInput).mutation(({ ctx, input }) => resetUserPassword(ctx.db, ctx.actor, input)),
});
