'use client';

import { FreezeWindows } from './freeze-windows';
import { HaltSection } from './halt-section';
import { LimitsPanel } from './limits-panel';

/** /safety: halt-all and its history, the freeze windows, and the global limits. */
export function SafetyPage() {
  return (
    <>
      <HaltSection />
      <FreezeWindows />
      <LimitsPanel />
    </>
  );
}
