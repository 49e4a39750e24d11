// lint-as: server/jobs/telemetry/__boundaries_fixture__.ts
import { measuredAdapter } from '../../metrics/worker-metrics';
export const x = measuredAdapter;
