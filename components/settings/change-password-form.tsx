'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import styles from './settings.module.css';

const signedOut = (n: number) => (n === 0 ? 'You had no other sessions.' : `Your ${n === 1 ? 'other session was' : `${n} other sessions were`} signed out.`);

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNext('');
      },
    }),
  );
  const fields = useFieldErrors(change.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    change.mutate({ current, next });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h3 id="password-heading">Change password</h3>
      {change.isSuccess ? <Notice>Password changed. {signedOut(change.data.otherSessionsEnded)}</Notice> : null}
      <ErrorText error={change.error && !fields.any ? change.error : null} />
      <Field label="Current password" error={fields.of('current')}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} type="password" autoComplete="current-password" maxLength={TEXT_LIMITS.password} value={current} onChange={(e) => setCurrent(e.target.value)} />}
      </Field>
      <Field label="New password" error={fields.of('next')} maxLength={TEXT_LIMITS.password} length={next.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
      </Field>
      <Button type="submit" variant="primary" busy={change.isPending} busyLabel="Saving…">
        Change password
      </Button>
    </form>
  );
}
