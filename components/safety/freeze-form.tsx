'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { formatDateTime, zoneName } from '@/components/ui/format-time';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { EMPTY_DRAFT, draftOf, fieldOfServerMessage, inputOf, nextStarts, type FreezeDraft } from './freeze-draft';
import type { FreezeWindowRow } from './contract';
import { REASON_MAX } from './reason-dialog';
import { useFreezeCommands } from './use-safety';
import styles from './safety.module.css';

interface Props {
  /** The window to edit, or null to create one. */
  editing: FreezeWindowRow | null;
  onDone: () => void;
}

/**
 * Create or edit a freeze window. Fields the form can check itself are checked first; the server's
 * words (a cron it cannot read, a stale version) land next to the field or above the buttons.
 */
export function FreezeForm({ editing, onDone }: Props) {
  const zone = useDisplayZone();
  const { create, update } = useFreezeCommands();
  const mutation = editing ? update : create;
  const [draft, setDraft] = useState<FreezeDraft>(() => (editing ? draftOf(editing, zone) : EMPTY_DRAFT));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const server = useFieldErrors(mutation.error);
  // The server's words, each next to the field it names; the rest above the buttons.
  const serverWords = Object.values(server.all).flat();
  const placed = (f: string) => serverWords.filter((m) => fieldOfServerMessage(m) === f);
  const unplaced = serverWords.filter((m) => fieldOfServerMessage(m) === null);
  const set = (patch: Partial<FreezeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const err = (f: string): string | string[] | undefined => problems[f] ?? (placed(f).length ? placed(f) : undefined);
  const tz = zoneName(Date.now(), zone);
  const save = () => {
    const r = inputOf(draft, zone);
    if ('problems' in r) return setProblems(r.problems);
    setProblems({});
    if (editing) update.mutate({ id: editing.id, version: editing.version, window: r.input }, { onSuccess: onDone });
    else create.mutate({ window: r.input }, { onSuccess: onDone });
  };
  const oneOff = draft.kind === 'one_off';
  const upcoming = oneOff ? [] : nextStarts(draft.cron, Date.now());
  return (
    <Dialog open title={editing ? `Edit freeze window: ${editing.name}` : 'New freeze window'} onClose={onDone} dismissible={!mutation.isPending} size="wide">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div className={styles.formGrid}>
          <Field label="Name" error={err('name')} maxLength={200} length={draft.name.length}>
            {(c) => <input {...c} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <Field label="Reason" hint="Shown to anyone a window refuses" error={err('reason')} maxLength={REASON_MAX} length={draft.reason.length}>
            {(c) => <input {...c} value={draft.reason} onChange={(e) => set({ reason: e.target.value })} />}
          </Field>
        </div>
        <fieldset className={styles.fieldset}>
          <legend>Kind</legend>
          <label>
            <input type="radio" name="freeze-kind" checked={oneOff} onChange={() => set({ kind: 'one_off' })} /> One-off: from a start to an end
          </label>
          <label>
            <input type="radio" name="freeze-kind" checked={!oneOff} onChange={() => set({ kind: 'recurring' })} /> Recurring: a window of fixed length each time a cron schedule fires
          </label>
        </fieldset>
        {!oneOff ? (
          <div className={styles.formGrid}>
            <Field label="Starts (cron, UTC)" hint='5 fields: minute hour day month weekday, e.g. "0 22 * * 5" is Fridays at 22:00 UTC' error={err('cron')} maxLength={120} length={draft.cron.length}>
              {(c) => <input {...c} className={`${c.className ?? ''} ${styles.mono}`} value={draft.cron} onChange={(e) => set({ cron: e.target.value })} spellCheck={false} />}
            </Field>
            <Field label="Length (minutes)" error={err('durationMin')}>
              {(c) => <input {...c} type="number" min={1} max={10080} step={1} value={draft.durationMin} onChange={(e) => set({ durationMin: e.target.value })} />}
            </Field>
          </div>
        ) : null}
        {!oneOff && upcoming.length ? (
          <p className="muted" aria-live="polite">
            Next starts: {upcoming.map((t) => formatDateTime(t, zone)).join(' · ')}
          </p>
        ) : null}
        <div className={styles.formGrid}>
          <Field label={oneOff ? `Starts (${tz})` : `Applies from (${tz}, optional)`} error={err('startsAt')}>
            {(c) => <input {...c} type="datetime-local" value={draft.startsAt} onChange={(e) => set({ startsAt: e.target.value })} />}
          </Field>
          <Field label={oneOff ? `Ends (${tz})` : `Applies until (${tz}, optional)`} error={err('endsAt')}>
            {(c) => <input {...c} type="datetime-local" value={draft.endsAt} onChange={(e) => set({ endsAt: e.target.value })} />}
          </Field>
        </div>
        <fieldset className={styles.fieldset} aria-describedby={err('appliesTo') ? 'freeze-applies-error' : undefined}>
          <legend>Refuses, unless an approver overrides with a reason</legend>
          <label>
            <input type="checkbox" checked={draft.appliesToRollouts} onChange={(e) => set({ appliesToRollouts: e.target.checked })} /> Rollout traffic increases (a rollout reaching one pauses as frozen)
          </label>
          <label>
            <input type="checkbox" checked={draft.appliesToExperiments} onChange={(e) => set({ appliesToExperiments: e.target.checked })} /> Experiment runs
          </label>
          {err('appliesTo') ? (
            <p id="freeze-applies-error" className={styles.fieldError}>
              {err('appliesTo')}
            </p>
          ) : null}
        </fieldset>
        {!mutation.error ? null : !server.any ? (
          <ErrorText error={mutation.error} />
        ) : unplaced.length ? (
          <ErrorText error={unplaced.join(' · ')} />
        ) : null}
        <DialogActions>
          <Button onClick={onDone} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={mutation.isPending} busyLabel="Saving…">
            {editing ? 'Save window' : 'Create window'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
