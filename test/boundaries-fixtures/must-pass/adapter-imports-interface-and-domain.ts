// lint-as: server/platform/sim/__boundaries_fixture__.ts
import { CapabilityError } from '../adapter';
import type { InstanceTelemetry } from '../../domain/model';
import { readFile } from 'node:fs/promises';
export const x = [CapabilityError, readFile];
export type X = InstanceTelemetry;
