'use client';

import { Button } from '@/components/ui/button';
import { Table } from '@/components/ui/table';
import type { Choice, FieldChange, Rebase } from './rebase';
import styles from './policies.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime } from '@/components/ui/format-time';

export interface VersionSince {
  version: number;
  authorName: string;
  message: string;
  createdAt: Date | string;
}

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function Changes({ lines, label, labelOf }: { lines: FieldChange[]; label: string; labelOf: (path: string) => string }) {
  if (lines.length === 0) return null;
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.path}>
            <th scope="row">{labelOf(l.path)}</th>
            <td className={styles.diffBefore}>{show(l.before)}</td>
            <td className={styles.diffAfter}>{show(l.after)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

interface Props {
  baseVersion: number;
  currentVersion: number;
  versionsSince: VersionSince[];
  plan: Rebase;
  choices: Record<string, Choice>;
  onChoose: (path: string, choice: Choice) => void;
  onApply: () => void;
  labelOf: (path: string) => string;
}

/**
 * A newer version was published while this tab was editing: who published what (before → after),
 * which of my changes carry over, and for each field we both changed, mine or theirs. Nothing is
 * published from here; the rebased edit is published against the newer version afterwards.
 */
export function RebasePanel({ baseVersion, currentVersion, versionsSince, plan, choices, onChoose, onApply, labelOf }: Props) {
  const zone = useDisplayZone();
  const undecided = plan.conflicts.filter((c) => !choices[c.path]).length;
  return (
    <section className={styles.panel} aria-label="Newer version published">
      <h3>
        Version {currentVersion} was published while you edited version {baseVersion}
      </h3>
      <ul>
        {versionsSince.map((v) => (
          <li key={v.version}>
            v{v.version} by <strong>{v.authorName}</strong> at {formatDateTime(v.createdAt, zone)}: {v.message || '(no message)'}
          </li>
        ))}
      </ul>
      <p>Your edit is not published. Rebase it onto version {currentVersion} to publish it without undoing their change.</p>
      {plan.taken.length > 0 ? <h4>Their changes (taken into your edit)</h4> : null}
      <Changes lines={plan.taken} label="Their changes" labelOf={labelOf} />
      {plan.kept.length > 0 ? <h4>Your changes (kept)</h4> : null}
      <Changes lines={plan.kept} label="Your changes, kept" labelOf={labelOf} />
      {plan.conflicts.length > 0 ? (
        <>
          <h4>Changed on both sides: choose for each field</h4>
          <Table label="Changed on both sides">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Was (v{baseVersion})</th>
                <th scope="col">Keep mine</th>
                <th scope="col">Take theirs (v{currentVersion})</th>
              </tr>
            </thead>
            <tbody>
              {plan.conflicts.map((c) => (
                <tr key={c.path}>
                  <th scope="row">{labelOf(c.path)}</th>
                  <td>{show(c.base)}</td>
                  <td>
                    <label>
                      <input type="radio" name={`rebase-${c.path}`} checked={choices[c.path] === 'mine'} onChange={() => onChoose(c.path, 'mine')} aria-label={`${labelOf(c.path)}: keep mine (${show(c.mine)})`} /> {show(c.mine)}
                    </label>
                  </td>
                  <td>
                    <label>
                      <input type="radio" name={`rebase-${c.path}`} checked={choices[c.path] === 'theirs'} onChange={() => onChoose(c.path, 'theirs')} aria-label={`${labelOf(c.path)}: take theirs (${show(c.theirs)})`} /> {show(c.theirs)}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      <div className={styles.actions}>
        <Button variant="primary" disabled={undecided > 0} onClick={onApply}>
          Rebase my edit onto version {currentVersion}
        </Button>
        {undecided > 0 ? <span className="muted">Choose mine or theirs for {undecided} field{undecided === 1 ? '' : 's'} first.</span> : null}
      </div>
    </section>
  );
}
