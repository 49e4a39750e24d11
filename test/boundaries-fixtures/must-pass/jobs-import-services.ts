// lint-as: server/jobs/telemetry/__boundaries_fixture__.ts
import { runCommand } from '../../services/command';
import { taskPayloadSchemas } from '../../db/job-payloads';
export const x = [runCommand, taskPayloadSchemas];
