'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { useSessionUser } from '@/components/shell/session-user';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { SecretDialog } from '@/components/ui/secret-dialog';
import { Loading } from '@/components/ui/spinner';
import { NewUserDialog } from './new-user-dialog';
import { UserActionDialog, type UserAction } from './user-action-dialog';
import { UsersTable } from './users-table';
import styles from './users.module.css';

export function UsersPage() {
  const trpc = useTRPC();
  const me = useSessionUser();
  const users = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [action, setAction] = useState<UserAction | null>(null);
  // A generated password lives only here, only until its dialog is closed.
  const [secret, setSecret] = useState<{ user: string; password: string } | null>(null);

  return (
    <>
      <div className={styles.headRow}>
        <h1>Users</h1>
        <Button
          variant="primary"
          onClick={() => {
            setCreated(null);
            setCreating(true);
          }}
        >
          New user
        </Button>
      </div>
      <p className="lead">Who can sign in, and with which role: viewer, operator, approver or admin.</p>
      {created ? <Notice>User {created} created.</Notice> : null}
      {users.isPending ? <Loading what="users" /> : null}
      {users.isError ? <ErrorText error={users.error} action={<Button size="small" onClick={() => void users.refetch()}>Try again</Button>} /> : null}
      {users.data && users.data.length === 0 ? <EmptyState title="No users">Create the first user with “New user”.</EmptyState> : null}
      {users.data?.length ? <UsersTable users={users.data} meId={me.id} onAction={setAction} /> : null}
      <NewUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(user, password) => {
          setCreating(false);
          setCreated(user);
          if (password) setSecret({ user, password });
        }}
      />
      <UserActionDialog action={action} onClose={() => setAction(null)} onPassword={(user, password) => setSecret({ user, password })} />
      <SecretDialog
        title={secret ? `Password for ${secret.user}` : 'Password'}
        intro="Give this password to the user over a safe channel. They can change it under Settings after signing in."
        secret={secret?.password ?? null}
        onClose={() => setSecret(null)}
      />
    </>
  );
}
