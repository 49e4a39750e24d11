// The shapes of `safety.*` answers the console reads, straight from the router's types.
import type { RouterOutputs } from '@/components/trpc/client';

export type SafetyStatus = RouterOutputs['safety']['status'];
export type EngagedHalt = NonNullable<SafetyStatus['halt']>;
export type HaltRow = RouterOutputs['safety']['halts'][number];
export type FreezeWindowRow = RouterOutputs['safety']['freezes']['list'][number];
export type SafetyLimits = RouterOutputs['safety']['limits']['get'];
