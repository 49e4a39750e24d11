'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useSessionUser } from '@/components/shell/session-user';
import { HALT_EFFECTS, canEngageHalt } from './halt-words';
import { ReasonDialog } from './reason-dialog';
import { useHaltCommands, useSafetyStatus } from './use-safety';
import styles from './safety.module.css';

/**
 * The halt-all lever in the header of every page, for any operator. Hidden while a halt is engaged
 * (the banner under the navigation says so and holds the release) and from viewers.
 */
export function HaltControl() {
  const me = useSessionUser();
  const status = useSafetyStatus();
  const { engage } = useHaltCommands();
  const [open, setOpen] = useState(false);
  if (!canEngageHalt(me.role) || !status.data || status.data.halt) return null;
  const close = () => {
    setOpen(false);
    engage.reset();
  };
  return (
    <>
      <Button
        variant="danger"
        size="small"
        className={styles.haltButton}
        onClick={() => {
          engage.reset();
          setOpen(true);
        }}
      >
        Halt all…
      </Button>
      <ReasonDialog
        open={open}
        title="Halt all experiments and rollouts"
        confirmLabel="Engage halt-all"
        busyLabel="Halting…"
        destructive
        busy={engage.isPending}
        error={engage.error}
        reasonHint="Shown on every page to everyone, and kept in the audit"
        onConfirm={(reason) => engage.mutate({ reason }, { onSuccess: close })}
        onCancel={close}
      >
        <p>Engaging halt-all takes effect at once, for everyone:</p>
        <ul className={styles.effects}>
          {HALT_EFFECTS.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </ReasonDialog>
    </>
  );
}
