import { experimentManifest, importExperiment, importRollout, manifestExportInput, manifestImportInput, rolloutManifest } from '../../services/manifests/manifests';
import { operatorProcedure, router, viewerProcedure } from '../trpc';

/**
 * Manifests for Kubernetes users: everyone may read a rollout as Argo Rollouts YAML and an
 * experiment as Chaos Mesh YAML; operators import such YAML as a new draft (the create commands).
 */
export const manifestsRouter = router({
  rolloutExport: viewerProcedure.input(manifestExportInput).query(({ ctx, input }) => rolloutManifest(ctx.db, input)),
  experimentExport: viewerProcedure.input(manifestExportInput).query(({ ctx, input }) => experimentManifest(ctx.db, input)),
  rolloutImport: operatorProcedure.input(manifestImportInput).mutation(({ ctx, input }) => importRollout(ctx.db, ctx.actor, input)),
  experimentImport: operatorProcedure.input(manifestImportInput).mutation(({ ctx, input }) => importExperiment(ctx.db, ctx.actor, input)),
});
