'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type ChangeEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import styles from './manifests.module.css';
import type { ManifestSubject } from './export-dialog';

/** The server's bound (server/domain/yaml-document.ts MAX_YAML_CHARS): refused here before sending. */
const MAX_YAML_CHARS = 64 * 1024;
const FORMAT: Record<ManifestSubject, string> = { rollout: 'Argo Rollouts', experiment: 'Chaos Mesh' };
const HINT: Record<ManifestSubject, string> = {
  rollout: 'A Rollout (argoproj.io/v1alpha1) with its AnalysisTemplates, as exported from a rollout page or written for the cluster.',
  experiment: 'One NetworkChaos, HTTPChaos, PodChaos, StressChaos or Schedule (chaos-mesh.org/v1alpha1), as exported from an experiment page or written for the cluster.',
};

/**
 * "Import YAML" on the rollouts and experiments lists: paste or choose a file; the server creates
 * a draft (a pending rollout, an experiment) through the same command as the "New" form. Refusals
 * are listed in words; with nothing dropped it opens the draft, otherwise it first says what was
 * dropped or defaulted.
 */
export function ImportManifestButton({ subject }: { subject: ManifestSubject }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Import YAML</Button>
      <Dialog open={open} title={`Import ${FORMAT[subject]} YAML`} onClose={() => setOpen(false)} size="wide">
        {open ? <ImportBody subject={subject} onClose={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function ImportBody({ subject, onClose }: { subject: ManifestSubject; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [yaml, setYaml] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [done, setDone] = useState<{ href: string; name: string; notes: string[] } | null>(null);
  const hrefOf = (id: string) => (subject === 'rollout' ? `/rollouts/${id}` : `/experiments/${id}`);
  const onSuccess = (r: { id: string; name: string; notes: string[] }) => {
    void qc.invalidateQueries({ queryKey: subject === 'rollout' ? trpc.rollouts.pathKey() : trpc.experiments.pathKey() });
    if (r.notes.length === 0) {
      onClose();
      router.push(hrefOf(r.id));
    } else setDone({ href: hrefOf(r.id), name: r.name, notes: r.notes });
  };
  const rollout = useMutation(trpc.manifests.rolloutImport.mutationOptions({ onSuccess }));
  const experiment = useMutation(trpc.manifests.experimentImport.mutationOptions({ onSuccess }));
  const m = subject === 'rollout' ? rollout : experiment;
  const errors = useFieldErrors(m.error);
  const problems = errors.of('yaml') ?? [];
  const refused = Boolean(m.error) && problems.length > 0;
  const problemsId = useId();

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setFileProblem(null);
    if (!file) return;
    if (file.size > MAX_YAML_CHARS) return setFileProblem(`${file.name} is too large: at most ${MAX_YAML_CHARS / 1024} KB`);
    setYaml(await file.text());
  }

  if (done) {
    return (
      <>
        <p role="status">
          Created the draft “{done.name}”. What the import dropped or defaulted — check it in the draft before running it:
        </p>
        <ul className={styles.notes} aria-label="What the import dropped or defaulted">
          {done.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
        <DialogActions>
          <Button onClick={onClose}>Close</Button>
          <Link href={done.href} className={styles.linkButton} onClick={onClose}>
            Open the draft
          </Link>
        </DialogActions>
      </>
    );
  }

  const tooLong = yaml.length > MAX_YAML_CHARS;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!yaml.trim() || tooLong) return;
        m.mutate({ yaml });
      }}
    >
      <Field label="YAML" hint={HINT[subject]} maxLength={MAX_YAML_CHARS} length={yaml.length}>
        {(control) => (
          <textarea
            {...control}
            // The refusals sit right under the field and are read with it.
            aria-describedby={[control['aria-describedby'], refused ? problemsId : undefined].filter(Boolean).join(' ') || undefined}
            aria-invalid={refused || undefined}
            className={`${control.className ?? ''} ${styles.paste}`}
            value={yaml}
            spellCheck={false}
            onChange={(e) => setYaml(e.target.value)}
          />
        )}
      </Field>
      {m.error ? (
        refused ? (
          <div role="alert" id={problemsId}>
            <p>The YAML cannot be imported:</p>
            <ul className={styles.problems}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorText error={m.error} />
        )
      ) : null}
      <Field label="Or choose a file" error={fileProblem ?? undefined}>
        {(control) => <input {...control} type="file" accept=".yaml,.yml,application/yaml,text/yaml,text/plain" onChange={(e) => void choose(e)} />}
      </Field>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={!yaml.trim() || tooLong} busy={m.isPending} busyLabel="Importing…">
          Import as a draft
        </Button>
      </DialogActions>
    </form>
  );
}
