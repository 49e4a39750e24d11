'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
// A pure module (no imports) shared with the server so both apply one rule (allowed in eslint/boundaries.mjs).
import { safeNextPath } from '@/server/auth/safe-next';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import styles from './login.module.css';

export function LoginForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => {
        // The server checked `next` already; checked again here against the page's own origin,
        // because this is the navigation that would leave the site.
        router.replace(safeNextPath(next, window.location.origin));
        // The console layout reads the new cookie on the server.
        router.refresh();
      },
    }),
  );
  const fields = useFieldErrors(login.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ name, password });
  }

  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <h1 className={styles.brand}>Switchback</h1>
        <p className={styles.tagline}>Sign in to the operations console.</p>
        {/* The message in words (wrong password, throttled "Try again in 8 s"…). */}
        <ErrorText error={login.error} />
        <form onSubmit={submit} noValidate>
          <Field label="User name" error={fields.of('name')}>
            {(p) => (
              <input
                {...p}
                className={`${p.className ?? ''} ${styles.input}`}
                name="username"
                maxLength={TEXT_LIMITS.userName}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Password" error={fields.of('password')}>
            {(p) => (
              <input
                {...p}
                className={`${p.className ?? ''} ${styles.input}`}
                type="password"
                name="password"
                maxLength={TEXT_LIMITS.password}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" className={styles.submit} busy={login.isPending || login.isSuccess} busyLabel="Signing in…">
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
