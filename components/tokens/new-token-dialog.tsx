'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@/server/db/generated/enums';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { useDisplayZone } from '@/components/ui/display-zone';
import { fromZoneInput, toZoneInput, zoneName } from '@/components/ui/format-time';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { isRole, ROLE_HINTS, ROLE_OPTIONS } from '@/components/users/roles';
import { EXPIRY_CHOICES, expiryInput, isExpiryChoice, TOKEN_NAME_MAX, type ExpiryChoice } from './token-expiry';
import styles from './tokens.module.css';

interface Props {
  open: boolean;
  /** The role the person acts with: a token's role can be at most this. */
  myRole: Role;
  onClose: () => void;
  onCreated: (name: string, secret: string) => void;
}

export function NewTokenDialog({ open, myRole, onClose, onCreated }: Props) {
  return (
    <Dialog open={open} title="New API token" onClose={onClose}>
      {/* Mounted only while open: every opening starts with an empty form. */}
      {open ? <NewTokenForm myRole={myRole} onClose={onClose} onCreated={onCreated} /> : null}
    </Dialog>
  );
}

function NewTokenForm({ myRole, onClose, onCreated }: Omit<Props, 'open'>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const zone = useDisplayZone();
  const roles = ROLE_OPTIONS.slice(0, ROLE_OPTIONS.indexOf(myRole) + 1);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [choice, setChoice] = useState<ExpiryChoice>('30');
  const [date, setDate] = useState(() => toZoneInput(Date.now() + 30 * 86_400_000, zone));
  const [dateProblem, setDateProblem] = useState<string | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.listAll.queryKey() });
        onCreated(result.token.name, result.secret);
      },
    }),
  );
  const fields = useFieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    const expiry = expiryInput(choice, fromZoneInput(date, zone));
    if (!expiry) {
      setDateProblem('Pick a date and time');
      return;
    }
    setDateProblem(null);
    create.mutate({ name: name.trim(), role, ...expiry });
  }

  const expiryErrors = [...(fields.of('expiresInDays') ?? []), ...(choice === 'date' ? [] : fields.of('expiresAt') ?? [])];
  return (
    <form onSubmit={submit} noValidate>
      <ErrorText error={create.error && !fields.any ? create.error : null} />
      <Field label="Name" hint="What uses it, e.g. deploy-bot or ci-pipeline" error={fields.of('name')} maxLength={TOKEN_NAME_MAX} length={name.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} autoComplete="off" spellCheck={false} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Role" hint={`At most yours (${myRole}). A ${role} ${ROLE_HINTS[role]}.`} error={fields.of('role')}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Expires" hint="A token stops working at its expiry; at most a year." error={expiryErrors}>
        {(p) => (
          <select {...p} value={choice} onChange={(e) => isExpiryChoice(e.target.value) && setChoice(e.target.value)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {choice === 'date' ? (
        <Field label={`Expiry date (${zoneName(Date.now(), zone)})`} error={[...(dateProblem ? [dateProblem] : []), ...(fields.of('expiresAt') ?? [])]}>
          {(p) => <input {...p} type="datetime-local" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
      ) : null}
      <DialogActions>
        <Button onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={create.isPending} busyLabel="Creating…">
          Create token
        </Button>
      </DialogActions>
    </form>
  );
}
