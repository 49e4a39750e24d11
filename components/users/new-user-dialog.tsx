'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/server/db/generated/enums';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { isRole, ROLE_HINTS, ROLE_OPTIONS } from './roles';
import styles from './users.module.css';

interface Props {
  open: boolean;
  onClose: () => void;
  /** `password` is the generated one (to show once), or null when the admin chose it. */
  onCreated: (user: string, password: string | null) => void;
}

export function NewUserDialog({ open, onClose, onCreated }: Props) {
  return (
    <Dialog open={open} title="New user" onClose={onClose}>
      {/* Mounted only while open: every opening starts with an empty form. */}
      {open ? <NewUserForm onClose={onClose} onCreated={onCreated} /> : null}
    </Dialog>
  );
}

function NewUserForm({ onClose, onCreated }: Omit<Props, 'open'>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
        onCreated(result.user.name, result.generatedPassword);
      },
    }),
  );
  const fields = useFieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name: name.trim(), displayName: displayName.trim(), role, ...(password ? { password } : {}) });
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorText error={create.error && !fields.any ? create.error : null} />
      <Field label="User name" hint="Lowercase, e.g. jane.doe" error={fields.of('name')} maxLength={TEXT_LIMITS.userName} length={name.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} autoComplete="off" autoCapitalize="none" spellCheck={false} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Display name" error={fields.of('displayName')} maxLength={TEXT_LIMITS.displayName} length={displayName.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label="Role" hint={`A ${role} ${ROLE_HINTS[role]}.`} error={fields.of('role')}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {ROLE_OPTIONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Password" hint="Optional: leave empty to generate one" error={fields.of('password')} maxLength={TEXT_LIMITS.password} length={password.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <DialogActions>
        <Button onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={create.isPending} busyLabel="Creating…">
          Create user
        </Button>
      </DialogActions>
    </form>
  );
}
