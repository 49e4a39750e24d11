'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { formatDateTime } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { useSessionUser } from '@/components/shell/session-user';
import { useLimits, useSetLimits } from './use-safety';
import styles from './safety.module.css';

/** The admin's global blast-radius maximum (of a service, a zone and a cluster alike): admins edit it, everyone else reads it. */
export function LimitsPanel() {
  const me = useSessionUser();
  const zone = useDisplayZone();
  const limits = useLimits();
  const set = useSetLimits();
  const fields = useFieldErrors(set.error);
  const [value, setValue] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const isAdmin = me.role === 'admin';
  const current = limits.data;
  const shown = value ?? (current ? String(current.maxBlastRadiusPct) : '');
  return (
    <section aria-labelledby="limits-heading" className={styles.section}>
      <h2 id="limits-heading">Limits</h2>
      {limits.isPending ? (
        <Loading what="the limits" />
      ) : limits.isError ? (
        <ErrorText error={limits.error} />
      ) : isAdmin ? (
        <form
          className={styles.limitForm}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(shown);
            if (shown.trim() === '' || !Number.isFinite(n) || n < 1 || n > 100) return setProblem('Enter a percentage from 1 to 100');
            setProblem(null);
            set.mutate({ limits: { maxBlastRadiusPct: n }, version: limits.data.version }, { onSuccess: () => setValue(null) });
          }}
        >
          <Field
            label="Global blast-radius maximum (% of a service's, a zone's or a cluster's instances)"
            hint="No experiment may hit more than this share of a targeted service, nor of the targeted services' instances in any zone or cluster, whatever its own caps say (a zone or cluster may always lose one instance)"
            error={problem ?? fields.of('limits')}
          >
            {(c) => <input {...c} type="number" min={1} max={100} step={1} value={shown} onChange={(e) => (set.reset(), setValue(e.target.value))} />}
          </Field>
          <Button type="submit" variant="primary" busy={set.isPending} busyLabel="Saving…" disabled={value === null}>
            Save maximum
          </Button>
          {fields.any ? null : <ErrorText error={set.error} />}
          {set.isSuccess && value === null ? <Notice>Saved: experiments are now capped at {current?.maxBlastRadiusPct} % of each service, zone and cluster.</Notice> : null}
        </form>
      ) : (
        <p>
          Global blast-radius maximum: <strong>{current?.maxBlastRadiusPct} %</strong> of a service&apos;s instances, and of the targeted services&apos; instances in any zone or cluster (a zone or cluster may always lose one instance). No experiment may hit more, whatever its own caps say. Admins set it.
        </p>
      )}
      {current ? <p className="muted">{current.updatedAt ? `Last set ${formatDateTime(current.updatedAt, zone)} (see the audit for who).` : 'The default: never set by an admin.'}</p> : null}
    </section>
  );
}
