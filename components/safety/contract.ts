// The shapes of the `safety` router's answers as the console reads them (COMMON.md's contract),
// written out until the router lands; then these become RouterOutputs['safety'][…].
import type { FreezeWindowView } from './freeze-draft';

export interface HaltRow {
  id: string;
  engagedAt: Date;
  engagedByName: string;
  reason: string;
  releasedAt: Date | null;
  releasedByName: string | null;
  releaseReason: string | null;
  faultsClearedAt: Date | null;
  /** Faults the halt asked to remove that the platform has not confirmed gone yet. */
  faultsRemaining?: number | null;
}

export interface ActiveFreeze {
  id: string;
  name: string;
  reason: string;
  startsAt: Date;
  endsAt: Date;
}

export interface SafetyStatus {
  /** The engaged halt, or null. */
  halt: HaltRow | null;
  /** The freeze windows in force now (a recurring window: this occurrence). */
  freezes: ActiveFreeze[];
}

export interface FreezeWindowRow extends Omit<FreezeWindowView, 'startsAt' | 'endsAt'> {
  startsAt: Date | null;
  endsAt: Date | null;
  createdByName: string;
  /** In force now. */
  active: boolean;
  /** The next occurrences (one-off: the window itself while it is ahead). */
  next: Array<{ startsAt: Date; endsAt: Date }>;
}

export interface SafetyLimits {
  /** The global blast-radius maximum: no experiment may target more of a service's instances (%). */
  maxBlastRadiusPct: number;
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}
