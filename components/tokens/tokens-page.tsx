'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, useSyncExternalStore } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { useSessionUser } from '@/components/shell/session-user';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { SecretDialog } from '@/components/ui/secret-dialog';
import { Loading } from '@/components/ui/spinner';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { NewTokenDialog } from './new-token-dialog';
import { RevokeTokenDialog } from './revoke-token-dialog';
import { TokensTable, type TokenRow } from './tokens-table';
import styles from './tokens.module.css';

const noSubscribe = () => () => undefined;
/** This console's address for the curl examples (a placeholder while rendering on the server). */
const useOrigin = () => useSyncExternalStore(noSubscribe, () => window.location.origin, () => 'https://switchback.example');

export function curlExample(origin: string, secret = '$SWITCHBACK_TOKEN') {
  return `curl -H "Authorization: Bearer ${secret}" ${origin}/api/v1/tokens`;
}

export function TokensPage() {
  const trpc = useTRPC();
  const me = useSessionUser();
  const origin = useOrigin();
  const isAdmin = me.role === 'admin';
  // The view lives in the URL (?view=all), so an admin's link to everyone's tokens stays that view.
  const { params, go } = useUrlPatch();
  const all = isAdmin && params.get('view') === 'all';
  const own = useQuery({ ...trpc.tokens.list.queryOptions(), enabled: !all });
  const everyone = useQuery({ ...trpc.tokens.listAll.queryOptions(), enabled: all });
  const list = all ? everyone : own;
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  // The secret lives only here, only until its dialog is closed: the server never returns it again.
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  return (
    <>
      <div className={styles.headRow}>
        <h1>API tokens</h1>
        <Button
          variant="primary"
          onClick={() => {
            setNotice(null);
            setCreating(true);
          }}
        >
          New token
        </Button>
      </div>
      <p className="lead">
        Tokens let scripts, pipelines and the <code>switchback</code> CLI use the REST API (/api/v1) as you, with a role no higher than yours. Every
        action taken with a token is audited under your name and the token’s.
      </p>
      {isAdmin ? (
        <div className={styles.views}>
          <div className={styles.segmented} role="group" aria-label="Whose tokens">
            <button type="button" aria-pressed={!all} onClick={() => go({ view: null })}>
              Yours
            </button>
            <button type="button" aria-pressed={all} onClick={() => go({ view: 'all' })}>
              Every user’s
            </button>
          </div>
        </div>
      ) : null}
      {notice ? <Notice>{notice}</Notice> : null}
      {list.isPending ? <Loading what="API tokens" /> : null}
      {list.isError ? <ErrorText error={list.error} action={<Button size="small" onClick={() => void list.refetch()}>Try again</Button>} /> : null}
      {list.data && list.data.length === 0 ? (
        <EmptyState
          title={all ? 'No user has an API token' : 'You have no API tokens'}
          action={
            <>
              <p>Create one with “New token”, then call the API with it, for example:</p>
              <pre className={styles.example}>{curlExample(origin)}</pre>
            </>
          }
        >
          A token is a credential for scripts and the CLI: it acts as you through the REST API, never in the browser.
        </EmptyState>
      ) : null}
      {list.data?.length ? <TokensTable rows={list.data} showOwner={all} onRevoke={setRevoking} /> : null}
      <NewTokenDialog
        open={creating}
        myRole={me.role}
        onClose={() => setCreating(false)}
        onCreated={(name, s) => {
          setCreating(false);
          setNotice(`Token ${name} created.`);
          setSecret({ name, secret: s });
        }}
      />
      <RevokeTokenDialog
        token={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(name) => {
          setRevoking(null);
          setNotice(`Token ${name} revoked.`);
        }}
      />
      <SecretDialog
        title={secret ? `Token ${secret.name}` : 'Token'}
        intro="Copy this token now and keep it in your secret store: it will not be shown again. If you lose it, revoke it and create a new one."
        secret={secret?.secret ?? null}
        what="token"
        onClose={() => setSecret(null)}
      >
        {secret ? (
          <>
            <p className={styles.small}>Try it:</p>
            <pre className={styles.example}>{curlExample(origin, secret.secret)}</pre>
          </>
        ) : null}
      </SecretDialog>
    </>
  );
}
