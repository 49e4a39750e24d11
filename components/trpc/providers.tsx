'use client';

import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useRef, useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@/server/api/root';
import { errorCode, isUnauthorized } from './errors';
import { TRPCProvider } from './client';

const NO_RETRY = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_REQUESTS', 'PRECONDITION_FAILED']);

function makeQueryClient(toLogin: (next: string) => void) {
  /** An expired session on a console page sends the user to sign in and back here afterwards. */
  function onQueryError(error: unknown) {
    if (typeof window === 'undefined' || !isUnauthorized(error)) return;
    if (window.location.pathname === '/login') return;
    toLogin(window.location.pathname + window.location.search);
  }
  return new QueryClient({
    // Only queries redirect: a failed sign-in is also UNAUTHORIZED and must stay on the form.
    queryCache: new QueryCache({ onError: onQueryError }),
    defaultOptions: {
      queries: {
        // Live events invalidate what changed, so data need not be refetched on every focus.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !NO_RETRY.has(errorCode(error) ?? '') && failures < 2,
      },
    },
  });
}

function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events; the link resends the last tracked id on reconnect.
        true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
        // The server refuses batches of more than 20 calls (server/api/request-guard.ts MAX_BATCH).
        false: httpBatchLink({ url: '/api/trpc', transformer: superjson, maxItems: 20 }),
      }),
    ],
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter();
  const routerRef = useRef(router);
  routerRef.current = router;
  // One client per browser tab (and per server render), created once.
  const [queryClient] = useState(() => makeQueryClient((next) => routerRef.current.replace(`/login?next=${encodeURIComponent(next)}`)));
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
