import { diffInput, diffVersions, draftInput, getPolicy, listPolicies, policyRef, publishInput, publishPolicy, rollbackInput, rollbackPolicy, saveDraft } from '../../services/policies/policies';
import { previewInput, previewPolicy } from '../../services/policies/policy-preview';
import { previewProgressInput, readPreviewProgress, withPreviewProgress } from '../../services/policies/preview-progress';
import { warmPreview, warmPreviewInput } from '../../services/policies/preview-warm';
import { adminProcedure, operatorProcedure, router, viewerProcedure } from '../trpc';

/** Policies: everyone reads; operators draft and preview; only admins publish and roll back. */
export const policiesRouter = router({
  list: viewerProcedure.query(({ ctx }) => listPolicies(ctx.db)),
  get: viewerProcedure.input(policyRef).query(({ ctx, input }) => getPolicy(ctx.db, input)),
  diff: viewerProcedure.input(diffInput).query(({ ctx, input }) => diffVersions(ctx.db, input)),
  // A mutation: it computes on demand from the editor's unsaved document.
  preview: operatorProcedure
    .input(previewInput)
    .mutation(({ ctx, input }) => withPreviewProgress(ctx.db, ctx.user.id, input.progressKey, (onProgress) => previewPolicy(ctx.db, input, { onProgress }))),
  /** How far the caller's own preview under a key has got (the console polls it while it waits). */
  previewProgress: operatorProcedure.input(previewProgressInput).query(({ ctx, input }) => readPreviewProgress(ctx.db, ctx.user.id, input)),
  /** Starts the preview's replay thread while the caller drafts (the editor asks once a draft begins). */
  warmPreview: operatorProcedure.input(warmPreviewInput).mutation(({ ctx, input }) => warmPreview(ctx.db, input)),
  saveDraft: operatorProcedure.input(draftInput).mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.actor, input)),
  publish: adminProcedure.input(publishInput).mutation(({ ctx, input }) => publishPolicy(ctx.db, ctx.actor, input)),
  rollback: adminProcedure.input(rollbackInput).mutation(({ ctx, input }) => rollbackPolicy(ctx.db, ctx.actor, input)),
});
