'use client';

// The machines page's state diagram. @xyflow/react is ~170 KB of JavaScript that nothing else on
// that page needs: the diagram (state-diagram-flow.tsx) loads as a chunk of its own once the page
// runs, in parallel with the page's first query, instead of delaying the page's hydration.
import dynamic from 'next/dynamic';
import styles from './state-diagram.module.css';

export interface DiagramInput {
  states: Array<{ id: string; label: string; count?: number }>;
  edges: Array<{ id: string; from: string; to: string; label: string }>;
  current: string | null;
  selected: string | null;
  onSelect: (edgeId: string) => void;
}

export const StateDiagram = dynamic<DiagramInput>(() => import('./state-diagram-flow'), { ssr: false, loading: () => <div className={styles.canvas} aria-hidden="true" /> });
