import type { CSSProperties } from 'react';
import styles from './ui.module.css';

/**
 * Free text (a description) cut to a few lines with an ellipsis, wrapping even a word without
 * spaces, so a long one never pushes a table or a page sideways; the whole text is its title.
 */
export function ClampedText({ text, lines = 3, className }: { text: string; lines?: number; className?: string }) {
  return (
    <span className={className ? `${styles.clamp} ${className}` : styles.clamp} style={{ '--clamp-lines': lines } as CSSProperties} title={text.length > 80 ? text : undefined}>
      {text}
    </span>
  );
}
