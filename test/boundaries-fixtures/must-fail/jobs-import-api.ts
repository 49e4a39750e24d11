// lint-as: server/jobs/__boundaries_fixture__.ts
import { appRouter } from '../api/root';
export const x = appRouter;
