// The HAProxy adapter's stored configuration (AdapterConfig.config): where the Runtime API
// sockets are, where the map files live, and which backend server is which Switchback instance.
import { z } from 'zod';
import { describeConfigIssues } from '../config-issues';

const text = (what: string) => z.string({ error: `${what}: expected text` }).max(500, `${what}: at most 500 characters`).trim().min(1, `${what}: must not be empty`);
const token = (what: string) => text(what).regex(/^[^\s;]+$/, `${what}: no spaces or ";"`);

export const haproxyConfigSchema = z
  .object({
    sockets: z
      .array(z.object({ name: text('sockets[].name'), address: text('sockets[].address').regex(/^(unix:\/|\/|tcp:[^:]+:\d+$)/, 'sockets[].address: expected unix:/path/to/admin.sock or tcp:host:port') }), {
        error: 'sockets: expected a list of { name, address }',
      })
      .min(1, 'sockets: name at least one HAProxy Runtime API socket'),
    /**
     * Directory of the map files HAProxy loads (header routing, faults). Runtime changes are also
     * written there so a reload keeps them; must be the same paths haproxy.cfg names.
     */
    mapDir: text('mapDir').regex(/^\//, 'mapDir: expected an absolute path'),
    services: z.array(
      z.object({
        service: token('services[].service'),
        backend: token('services[].backend'),
        versionBackends: z.record(token('versionBackends key'), token('versionBackends value'), { error: 'versionBackends: expected { "v1": "be_x_v1", … }' }),
        /** Map file (absolute path) from X-Abtest-Group values to version backends. */
        headerMap: text('services[].headerMap').regex(/^\//, 'services[].headerMap: expected an absolute path'),
        /**
         * How haproxy.cfg looks the header map up: `map` (exact values only) or `map_reg` (its keys are
         * regular expressions, tried in order: exact, prefix and regex rules, first rule first).
         */
        headerMapLookup: z.enum(['map', 'map_reg'], { error: 'services[].headerMapLookup: expected "map" or "map_reg"' }).default('map'),
      }),
    ),
    instances: z.array(
      z.object({
        instance: token('instances[].instance'),
        service: token('instances[].service'),
        version: token('instances[].version'),
        /** The server's name in the service backend and in its version backend. */
        server: token('instances[].server'),
        address: z.string().max(500, 'instances[].address: at most 500 characters').default(''),
        region: token('instances[].region').optional(),
        zone: token('instances[].zone').optional(),
        cluster: token('instances[].cluster').optional(),
      }),
    ),
    timeoutMs: z.number({ error: 'timeoutMs: expected milliseconds' }).int().min(100, 'timeoutMs: at least 100 ms').max(30_000, 'timeoutMs: at most 30000 ms').default(2000),
    /** A Prometheus metrics source (server/platform/prometheus); HAProxy applies, Prometheus measures. */
    metrics: z.unknown().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const services = new Set(c.services.map((s) => s.service));
    for (const [k, i] of c.instances.entries()) {
      if (!services.has(i.service)) ctx.addIssue({ code: 'custom', path: ['instances', k, 'service'], message: `instances[${k}]: service "${i.service}" is not in services` });
      const s = c.services.find((x) => x.service === i.service);
      if (s && !s.versionBackends[i.version]) ctx.addIssue({ code: 'custom', path: ['instances', k, 'version'], message: `instances[${k}]: version "${i.version}" has no backend in ${i.service}.versionBackends` });
    }
  });

export type HaproxyConfig = z.output<typeof haproxyConfigSchema>;
export type HaproxyConfigInput = z.input<typeof haproxyConfigSchema>;

/** Every problem on one line each, named by where it is, in words. */
export const describeHaproxyIssues = describeConfigIssues;

/** The HTTP statuses the error fault can return (HAProxy needs each as a literal rule). */
export const ERROR_STATUSES = [500, 502, 503, 504] as const;

/** Map files the fault rules read, named by convention inside mapDir. */
export const faultMaps = (mapDir: string) => ({
  error: Object.fromEntries(ERROR_STATUSES.map((s) => [s, `${mapDir}/sb_err${s}.map`])) as Record<(typeof ERROR_STATUSES)[number], string>,
  delay: `${mapDir}/sb_delay.map`,
  reset: `${mapDir}/sb_reset.map`,
  /** Epoch second after which a key's faults stop acting, even if nobody removes them. */
  expiry: `${mapDir}/sb_expiry.map`,
  /** `<kind>:<key>` → the FAULT_COHORT_HEADER value a request needs to be affected (absent = every request). */
  cohort: `${mapDir}/sb_cohort.map`,
});

/** The request header the generated fault rules can scope a fault by (the routing header). */
export const FAULT_COHORT_HEADER = 'X-Abtest-Group';
/** The cohort map lookup's default: the fault has no cohort (so no cohort value may be this). */
export const FAULT_COHORT_ANY = '*';
