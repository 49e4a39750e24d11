// The inputs of every experiments.* authoring procedure: bounded blocks of server/domain/inputs.ts
// and the one draft schema the form, the YAML view and the stored row validate with.
import { z } from 'zod';
import { token, text, uuid, version } from '../../domain/inputs';
import { experimentDraftSchema, experimentSpecSchema } from '../../domain/experiments/spec';

export const experimentId = z.object({ id: uuid() }).strict();
export const experimentRef = z.object({ id: uuid(), version: version() }).strict();
/** archived false = restore. */
export const archiveExperimentInput = z.object({ id: uuid(), version: version(), archived: z.boolean().default(true) }).strict();
export const createExperimentInput = z.object({ draft: experimentDraftSchema }).strict();
export const updateExperimentInput = z.object({ id: uuid(), version: version(), draft: experimentDraftSchema }).strict();
export const previewExperimentInput = z.object({ spec: experimentSpecSchema }).strict();

export const ARCHIVED_FILTERS = ['active', 'archived', 'all'] as const;
export const listExperimentsInput = z
  .object({
    /** Words in the name or description. */
    text: text(120).optional(),
    template: token(64).optional(),
    archived: z.enum(ARCHIVED_FILTERS, { error: `Archived: one of ${ARCHIVED_FILTERS.join(', ')}` }).default('active'),
  })
  .strict();
