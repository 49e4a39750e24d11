// lint-as: server/services/telemetry/__boundaries_fixture__.ts
import { appRouter } from '@/server/api/root';
export const x = appRouter;
