import { useId, type ReactNode } from 'react';
import { lengthCounter, limitHint } from './limits';
import styles from './ui.module.css';

/** Props to spread on the control so the label, hint and error are wired for assistive tech. */
export interface ControlProps {
  id: string;
  className?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  maxLength?: number;
}

interface FieldProps {
  label: string;
  hint?: string;
  /** Messages from the server's field errors (zod), shown under the control. */
  error?: string | string[];
  /** The most characters the field takes (components/ui/limits.ts): set on the control and said in the hint. */
  maxLength?: number;
  /** The current length, for the counter shown near the limit. */
  length?: number;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, hint: baseHint, error, maxLength, length, children }: FieldProps) {
  const id = useId();
  const limit = maxLength ? limitHint(maxLength) : null;
  const hint = limit ? (baseHint ? `${baseHint} (${limit})` : `${limit.charAt(0).toUpperCase()}${limit.slice(1)}`) : baseHint;
  const counter = maxLength && length !== undefined ? lengthCounter(length, maxLength) : null;
  const errors = (Array.isArray(error) ? error : error ? [error] : []).filter(Boolean);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, className: styles.control, 'aria-describedby': describedBy, ...(maxLength ? { maxLength } : {}), ...(errors.length ? { 'aria-invalid': true as const } : {}) })}
      {hint ? (
        <span id={hintId} className={styles.hint}>
          {hint}
          {counter ? (
            <span className={styles.counter} aria-live="polite">
              {' '}
              · {counter}
            </span>
          ) : null}
        </span>
      ) : null}
      {errors.length ? (
        <p id={errorId} className={styles.fieldError}>
          {errors.join(' · ')}
        </p>
      ) : null}
    </div>
  );
}
