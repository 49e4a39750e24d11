import {
  activateAdapterConfig,
  activateAdapterInput,
  importPlatformTopology,
  importTopologyInput,
  saveAdapterConfig,
  saveAdapterInput,
  testAdapterConfig,
  testAdapterInput,
} from '../../services/platform/platform-configs';
import { adminProcedure, router } from '../trpc';

/** Platform adapters: what is stored, which one the worker drives; admins edit, test and switch. */
export const platformRouter = router({
  save: adminProcedure.input(saveAdapterInput).mutation(({ ctx, input }) => saveAdapterConfig(ctx.db, ctx.actor, input)),
  activate: adminProcedure.input(activateAdapterInput).mutation(({ ctx, input }) => activateAdapterConfig(ctx.db, ctx.actor, input)),
  // A mutation although it changes nothing: it connects to what the admin typed, on demand only.
  test: adminProcedure.input(testAdapterInput).mutation(({ input }) => testAdapterConfig(input)),
  importTopology: adminProcedure.input(importTopologyInput).mutation(({ ctx, input }) => importPlatformTopology(ctx.db, ctx.actor, input)),
});
