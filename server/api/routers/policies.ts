import { diffInput, diffVersions, draftInput, getPolicy, listPolicies, policyRef, publishInput, publishPolicy, rollbackInput, rollbackPolicy, saveDraft } from '../../services/policies/policies';
import { previewInput, previewPolicy } from '../../services/policies/policy-preview';
import { adminProcedure, operatorProcedure, router, viewerProcedure } from '../trpc';

/** Policies: everyone reads; operators draft and preview; only admins publish and roll back. */
export const policiesRouter = router({
  list: viewerProcedure.query(({ ctx }) => listPolicies(ctx.db)),
  get: viewerProcedure.input(policyRef).query(({ ctx, input }) => getPolicy(ctx.db, input)),
  diff: viewerProcedure.input(diffInput).query(({ ctx, input }) => diffVersions(ctx.db, input)),
  // A mutation: it computes on demand from the editor's unsaved document.
  preview: operatorProcedure.input(previewInput).mutation(({ ctx, input }) => previewPolicy(ctx.db, input)),
  saveDraft: operatorProcedure.input(draftInput).mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.actor, input)),
  publish: adminProcedure.input(publishInput).mutation(({ ctx, input }) => publishPolicy(ctx.db, ctx.actor, input)),
  rollback: adminProcedure.input(rollbackInput).mutation(({ ctx, input }) => rollbackPolicy(ctx.db, ctx.actor, input)),
});
