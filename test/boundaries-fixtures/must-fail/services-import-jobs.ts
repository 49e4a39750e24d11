// lint-as: server/services/telemetry/__boundaries_fixture__.ts
import { TelemetryLoop } from '../../jobs/telemetry/loop';
export const x = TelemetryLoop;
