'use client';

import { useId } from 'react';
import type { YamlProblem } from './spec-yaml';
import styles from './rollouts.module.css';

/** The rollout as YAML text; every problem names its line, and the problem list is announced. */
export function YamlEditor({ text, onChange, problems, disabled }: { text: string; onChange: (t: string) => void; problems: YamlProblem[]; disabled?: boolean }) {
  const id = useId();
  const rows = Math.min(40, Math.max(16, text.split('\n').length + 1));
  return (
    <div className={styles.yaml}>
      <label htmlFor={id} className={styles.yamlLabel}>
        Rollout as YAML
      </label>
      <textarea
        id={id}
        className={styles.yamlText}
        value={text}
        rows={rows}
        spellCheck={false}
        disabled={disabled}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={problems.length ? `${id}-problems` : `${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      {problems.length ? (
        <div id={`${id}-problems`} role="alert">
          <ul className={styles.yamlProblems} aria-label="Problems in the YAML">
            {problems.map((p, i) => (
              <li key={i}>
                {p.line !== null ? <strong>Line {p.line}</strong> : null}
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p id={`${id}-hint`} className="muted">
          The same rollout as the form; edit either. Checked by the same rules as the form and the API.
        </p>
      )}
    </div>
  );
}
