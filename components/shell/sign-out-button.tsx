'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '@/components/trpc/client';
import styles from './shell.module.css';

export function SignOutButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        // Leaving the console unmounts the live connection; nothing of this session stays cached.
        queryClient.clear();
        router.replace('/login');
        router.refresh();
      },
    }),
  );
  return (
    <button type="button" className={styles.signOut} onClick={() => logout.mutate()} disabled={logout.isPending}>
      {logout.isPending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
