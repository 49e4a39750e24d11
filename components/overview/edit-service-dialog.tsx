'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { OverviewData } from '@/server/services/topology/topology';
import { useTRPC } from '@/components/trpc/client';
import { errorCode } from '@/components/trpc/errors';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { CurrentValues, staleWriteOf } from '@/components/ui/conflict';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import styles from './overview.module.css';

type Service = OverviewData['services'][number];

/**
 * Renames a service / edits its description. The version is the one the admin saw when the
 * dialog opened (not the live row): a colleague's change in between must surface as a conflict.
 */
export function EditServiceDialog({ service, onClose }: { service: Service | null; onClose: () => void }) {
  return service ? <EditServiceForm key={`${service.id}@${service.version}`} service={service} onClose={onClose} /> : null;
}

function EditServiceForm({ service, onClose }: { service: Service; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [base, setBase] = useState(service);
  const [name, setName] = useState(service.name);
  const [description, setDescription] = useState(service.description);
  const [reloading, setReloading] = useState(false);
  const update = useMutation(
    trpc.topology.updateService.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.topology.overview.queryKey() });
        onClose();
      },
    }),
  );
  const fields = useFieldErrors(update.error);
  const conflict = errorCode(update.error) === 'CONFLICT' && !fields.any;
  const stale = staleWriteOf(update.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ id: base.id, version: base.version, name: name.trim(), description });
  }

  /** After a conflict: fetch the current row and start again from it. */
  async function reload() {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...trpc.topology.overview.queryOptions(), staleTime: 0 });
      const current = fresh.services.find((s) => s.id === base.id);
      if (!current) {
        onClose();
        return;
      }
      setBase(current);
      setName(current.name);
      setDescription(current.description);
      update.reset();
    } finally {
      setReloading(false);
    }
  }

  return (
    <Dialog open title={`Edit service ${base.name}`} onClose={onClose} dismissible={!update.isPending}>
      <form onSubmit={submit} noValidate>
        <ErrorText
          error={update.error && !fields.any ? update.error : null}
          action={
            conflict ? (
              <Button size="small" onClick={() => void reload()} busy={reloading} busyLabel="Reloading…">
                Reload
              </Button>
            ) : null
          }
        />
        {stale ? <CurrentValues stale={stale} labels={{ name: 'Name', description: 'Description' }} /> : null}
        <Field label="Name" hint="Lowercase letters, digits and dashes" error={fields.of('name')} maxLength={TEXT_LIMITS.serviceName} length={name.length}>
          {(p) => <input {...p} className={`${p.className ?? ''} ${styles.fullWidth}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
        </Field>
        <Field label="Description" error={fields.of('description')} maxLength={TEXT_LIMITS.description} length={description.length}>
          {(p) => <textarea {...p} className={`${p.className ?? ''} ${styles.fullWidth}`} value={description} rows={5} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <p className="muted">Editing version {base.version}. Saving creates version {base.version + 1}; the workers then apply it.</p>
        <DialogActions>
          <Button onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={update.isPending} busyLabel="Saving…" disabled={conflict}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
