'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import styles from './experiments.module.css';

/** Instance labels that must all match (key = value): shown as chips, added with two inputs. */
export function LabelsEditor({ labels, onChange, disabled, error }: { labels: Record<string, string>; onChange: (l: Record<string, string>) => void; disabled?: boolean; error?: string[] }) {
  const [k, setK] = useState('');
  const [v, setV] = useState('');
  const entries = Object.entries(labels);
  const add = () => {
    if (!k.trim()) return;
    onChange({ ...labels, [k.trim()]: v.trim() });
    setK('');
    setV('');
  };
  return (
    <div>
      <span className={styles.small}>Labels (all must match)</span>
      <ul className={styles.chips} aria-label="Chosen labels">
        {entries.length === 0 ? <li className="muted small">any</li> : null}
        {entries.map(([key, value]) => (
          <li key={key} className={styles.chip}>
            {key}={value}
            <button
              type="button"
              aria-label={`Remove label ${key}`}
              disabled={disabled}
              onClick={() => {
                const next = { ...labels };
                delete next[key];
                onChange(next);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className={styles.actions} style={{ marginTop: 0 }}>
        <input className={styles.select} aria-label="Label key" placeholder="key (e.g. layer)" maxLength={100} value={k} disabled={disabled} onChange={(e) => setK(e.target.value)} />
        <input className={styles.select} aria-label="Label value" placeholder="value" maxLength={200} value={v} disabled={disabled} onChange={(e) => setV(e.target.value)} />
        <Button size="small" disabled={disabled || !k.trim()} onClick={add}>
          Add label
        </Button>
      </div>
      {error?.length ? <p className={styles.fieldError}>{error.join(' · ')}</p> : null}
    </div>
  );
}
