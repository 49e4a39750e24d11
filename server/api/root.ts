import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { liveRouter } from './routers/live';
import { platformRouter } from './routers/platform';
import { machinesRouter } from './routers/machines';
import { manifestsRouter } from './routers/manifests';
import { policiesRouter } from './routers/policies';
import { rolloutsRouter } from './routers/rollouts';
import { experimentsRouter } from './routers/experiments';
import { safetyRouter } from './routers/safety';
import { timelineRouter } from './routers/timeline';
import { serviceGraphRouter } from './routers/service-graph';
import { simRouter } from './routers/sim';
import { systemRouter } from './routers/system';
import { telemetryRouter } from './routers/telemetry';
import { tokensRouter } from './routers/tokens';
import { topologyRouter } from './routers/topology';
import { topologyMapRouter } from './routers/topology-map';
import { usersRouter } from './routers/users';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  topology: topologyRouter,
  audit: auditRouter,
  live: liveRouter,
  system: systemRouter,
  sim: simRouter,
  platform: platformRouter,
  policies: policiesRouter,
  timeline: timelineRouter,
  machines: machinesRouter,
  telemetry: telemetryRouter,
  topologyMap: topologyMapRouter,
  serviceGraph: serviceGraphRouter,
  rollouts: rolloutsRouter,
  experiments: experimentsRouter,
  safety: safetyRouter,
  manifests: manifestsRouter,
  tokens: tokensRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
