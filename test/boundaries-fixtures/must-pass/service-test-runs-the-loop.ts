// lint-as: server/services/telemetry/__boundaries_fixture__.int.test.ts
import { TelemetryLoop } from '../../jobs/telemetry/loop';
import { openTestDb } from '../../../test/context';
export const x = [TelemetryLoop, openTestDb];
