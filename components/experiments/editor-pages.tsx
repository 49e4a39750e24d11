'use client';

import { useSearchParams } from 'next/navigation';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { useExperiment, useTemplates } from './api';
import { ExperimentEditor } from './experiment-editor';
import { draftFromTemplate } from './spec-draft';

/** /experiments/new?template=<key>: the seed's jitter template when none is named. */
export function NewExperimentPage() {
  const params = useSearchParams();
  const templates = useTemplates();
  if (templates.isPending) return <Loading what="the templates" />;
  if (templates.isError) return <ErrorText error={templates.error} />;
  const key = params.get('template') ?? 'seed-jitter';
  const t = templates.data.find((x) => x.key === key) ?? templates.data[0];
  if (!t) return <ErrorText error={new Error('No experiment template is available.')} />;
  return <ExperimentEditor key={t.key} initial={draftFromTemplate(t)} saved={null} />;
}

/** /experiments/[id]: the stored experiment, editable against the version it was opened at. */
export function EditExperimentPage({ id }: { id: string }) {
  const x = useExperiment(id);
  if (x.isPending) return <Loading what="the experiment" />;
  if (x.isError) return <ErrorText error={x.error} />;
  const d = x.data;
  return <ExperimentEditor key={`${d.id}@${d.version}`} initial={{ name: d.name, description: d.description, templateKey: d.templateKey, spec: d.spec }} saved={{ id: d.id, version: d.version }} archived={d.archivedAt !== null} stored={d} />;
}
