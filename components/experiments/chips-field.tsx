'use client';

import { useId } from 'react';
import styles from './experiments.module.css';

/** A list of names picked from known options (or typed), each removable by keyboard. */
export function ChipsField({ label, values, options, onChange, disabled, error }: { label: string; values: string[]; options: string[]; onChange: (v: string[]) => void; disabled?: boolean; error?: string[] }) {
  const id = useId();
  const left = options.filter((o) => !values.includes(o));
  return (
    <div>
      <label htmlFor={id} className={styles.small}>
        Add {label.toLowerCase()}
      </label>{' '}
      <select id={id} className={styles.select} aria-label={`Add a ${label.toLowerCase().replace(/s$/, '')}`} value="" disabled={disabled || left.length === 0} onChange={(e) => e.target.value && onChange([...values, e.target.value])}>
        <option value="">{left.length ? `Any ${label.toLowerCase()}…` : 'none left'}</option>
        {left.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <ul className={styles.chips} aria-label={`Chosen ${label.toLowerCase()}`}>
        {values.length === 0 ? <li className="muted small">any</li> : null}
        {values.map((v) => (
          <li key={v} className={styles.chip}>
            {v}
            <button type="button" aria-label={`Remove ${v}`} disabled={disabled} onClick={() => onChange(values.filter((x) => x !== v))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {error?.length ? <p className={styles.fieldError}>{error.join(' · ')}</p> : null}
    </div>
  );
}
