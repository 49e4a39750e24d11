import type { ReactNode } from 'react';
import styles from './ui.module.css';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

const toneClass: Record<Tone, string | undefined> = {
  neutral: styles.neutral,
  info: styles.info,
  success: styles.success,
  warning: styles.warning,
  danger: styles.dangerTone,
};

export function Badge({ tone = 'neutral', children, label }: { tone?: Tone; children: ReactNode; label?: string }) {
  return (
    <span className={`${styles.badge} ${toneClass[tone] ?? ''}`} aria-label={label}>
      {children}
    </span>
  );
}
