'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import styles from './manifests.module.css';

export type ManifestSubject = 'rollout' | 'experiment';

const FORMAT: Record<ManifestSubject, string> = { rollout: 'Argo Rollouts', experiment: 'Chaos Mesh' };

/**
 * "Export" on a rollout's or an experiment's page: the YAML for Argo Rollouts or Chaos Mesh, what
 * it cannot express in words, and copy / download. The YAML is fetched when the dialog opens, so
 * it is the stored version (unsaved edits are not in it — the dialog says so).
 */
export function ExportManifestButton({ subject, id }: { subject: ManifestSubject; id: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Export</Button>
      <Dialog open={open} title={`Export as ${FORMAT[subject]}`} onClose={() => setOpen(false)} size="wide">
        {open ? <ExportBody subject={subject} id={id} /> : null}
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function ExportBody({ subject, id }: { subject: ManifestSubject; id: string }) {
  const trpc = useTRPC();
  const rollout = useQuery({ ...trpc.manifests.rolloutExport.queryOptions({ id }), enabled: subject === 'rollout', staleTime: 0 });
  const experiment = useQuery({ ...trpc.manifests.experimentExport.queryOptions({ id }), enabled: subject === 'experiment', staleTime: 0 });
  const q = subject === 'rollout' ? rollout : experiment;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  if (q.isPending) return <Loading what="the manifest" />;
  if (q.isError) return <ErrorText error={q.error} action={<Button onClick={() => void q.refetch()}>Try again</Button>} />;
  const m = q.data;

  async function copy() {
    try {
      await navigator.clipboard.writeText(m.yaml);
      setCopied('yes');
    } catch {
      // Clipboard needs a secure context and permission; selecting the text by hand always works.
      setCopied('failed');
    }
  }
  function download() {
    const url = URL.createObjectURL(new Blob([m.yaml], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = m.fileName;
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <>
      <p className="lead">
        {m.kinds.length ? `${m.kinds.join(', ')} — the saved ${subject}, ready for kubectl apply.` : `Nothing to apply: ${FORMAT[subject]} has no resource for this ${subject} (see below).`}
      </p>
      <h3>What the YAML cannot express</h3>
      <ul className={styles.notes} aria-label="What the YAML cannot express">
        {m.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <pre className={styles.yaml} tabIndex={0} aria-label={`${FORMAT[subject]} YAML`} data-testid="manifest-yaml">
        {m.yaml}
      </pre>
      <div className={styles.row}>
        <Button variant="primary" onClick={() => void copy()}>
          Copy YAML
        </Button>
        <Button onClick={download}>Download {m.fileName}</Button>
        <span role="status" className={styles.hint}>
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the YAML and copy it by hand.' : ''}
        </span>
      </div>
    </>
  );
}
