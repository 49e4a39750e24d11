'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Role } from '@/server/db/generated/enums';
import { useTRPC, type RouterOutputs } from '@/components/trpc/client';
import { errorCode } from '@/components/trpc/errors';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { CurrentValues, staleWriteOf } from '@/components/ui/conflict';

export type UserRow = RouterOutputs['users']['list'][number];

/** A row action waiting for confirmation; `user` is the row as it was when clicked (its version). */
export type UserAction = { kind: 'role'; user: UserRow; role: Role } | { kind: 'reset'; user: UserRow } | { kind: 'active'; user: UserRow; active: boolean };

interface Props {
  action: UserAction | null;
  onClose: () => void;
  onPassword: (user: string, password: string) => void;
}

export function UserActionDialog({ action, onClose, onPassword }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const done = { onSuccess: async () => (await refresh(), onClose()) };
  const setRole = useMutation(trpc.users.setRole.mutationOptions(done));
  const setActive = useMutation(trpc.users.setActive.mutationOptions(done));
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: async (r) => {
        await refresh();
        onClose();
        onPassword(r.user.name, r.generatedPassword);
      },
    }),
  );
  const mutation = action?.kind === 'role' ? setRole : action?.kind === 'reset' ? reset : setActive;

  function close() {
    for (const m of [setRole, setActive, reset]) m.reset();
    onClose();
  }

  if (!action) return null;
  const { user } = action;
  const who = user.displayName ? `${user.name} (${user.displayName})` : user.name;

  const text =
    action.kind === 'role'
      ? { title: `Change role of ${user.name}?`, body: `${who} goes from ${user.role} to ${action.role}. This takes effect on their next request.`, confirm: 'Change role', busy: 'Changing…', destructive: false }
      : action.kind === 'reset'
        ? { title: `Reset password of ${user.name}?`, body: `${who} is signed out everywhere. A new password is generated and shown to you once.`, confirm: 'Reset password', busy: 'Resetting…', destructive: true }
        : action.active
          ? { title: `Activate ${user.name}?`, body: `${who} can sign in again.`, confirm: 'Activate', busy: 'Activating…', destructive: false }
          : { title: `Deactivate ${user.name}?`, body: `${who} is signed out everywhere, their API tokens are revoked, and they cannot sign in until activated again.`, confirm: 'Deactivate', busy: 'Deactivating…', destructive: true };

  function confirm() {
    if (!action) return;
    const base = { id: action.user.id, version: action.user.version };
    if (action.kind === 'role') setRole.mutate({ ...base, role: action.role });
    else if (action.kind === 'reset') reset.mutate(base);
    else setActive.mutate({ ...base, active: action.active });
  }

  return (
    <ConfirmDialog
      open
      title={text.title}
      confirmLabel={text.confirm}
      busyLabel={text.busy}
      destructive={text.destructive}
      busy={mutation.isPending}
      error={mutation.error}
      errorAction={
        errorCode(mutation.error) === 'CONFLICT' ? (
          <Button size="small" onClick={() => void refresh().then(close)}>
            Reload
          </Button>
        ) : null
      }
      onConfirm={confirm}
      onCancel={close}
    >
      <p>{text.body}</p>
      {staleWriteOf(mutation.error) ? <CurrentValues stale={staleWriteOf(mutation.error)!} labels={{ role: 'Role', active: 'Active' }} /> : null}
    </ConfirmDialog>
  );
}
