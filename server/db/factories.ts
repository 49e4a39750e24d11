import { randomBytes } from 'node:crypto';
import type { DbOrTx } from './client';
import type { Role } from './generated/enums';
import type { Prisma } from './generated/client';
import { hashPassword } from '../auth/password';
import { defaultPolicies } from '../domain/policy-defaults';

// Row builders shared by the seed and the tests, so both make rows the same way.
const suffix = () => randomBytes(4).toString('hex');

export async function makeUser(
  db: DbOrTx,
  o: { name?: string; role?: Role; password?: string; displayName?: string; active?: boolean } = {},
) {
  const password = o.password ?? `pw-${suffix()}-${suffix()}`;
  const user = await db.user.create({
    data: {
      name: o.name ?? `user-${suffix()}`,
      displayName: o.displayName ?? '',
      role: o.role ?? 'viewer',
      active: o.active ?? true,
      passwordHash: await hashPassword(password),
    },
  });
  return { user, password };
}

export interface FleetSpec {
  regions: Array<{ name: string; zones: Array<{ name: string; clusters: string[] }> }>;
  services: Array<{
    name: string;
    description?: string;
    routing?: Record<string, unknown>;
    /** Instances per cluster, per app version: e.g. { v1: 1 } puts one v1 instance in each listed cluster. */
    placement: Array<{ cluster: string; versions: Record<string, number> }>;
    labels?: Record<string, string>;
  }>;
}

export async function makeFleet(db: DbOrTx, spec: FleetSpec) {
  const clusterIds = new Map<string, { id: string; zone: string; region: string }>();
  for (const r of spec.regions) {
    const region = await db.region.create({ data: { name: r.name } });
    for (const z of r.zones) {
      const zone = await db.zone.create({ data: { name: z.name, regionId: region.id } });
      for (const c of z.clusters) {
        const cluster = await db.cluster.create({ data: { name: c, zoneId: zone.id } });
        clusterIds.set(c, { id: cluster.id, zone: z.name, region: r.name });
      }
    }
  }
  const services = [];
  for (const s of spec.services) {
    const service = await db.service.create({
      // A fleet describes a platform already running, so its routing counts as applied.
      data: { name: s.name, description: s.description ?? '', routing: (s.routing ?? {}) as Prisma.InputJsonValue, labels: s.labels ?? {}, appliedVersion: 1 },
    });
    const rows: Array<{ name: string; serviceId: string; clusterId: string; appVersion: string; labels: object; address: string }> = [];
    for (const p of s.placement) {
      const c = clusterIds.get(p.cluster);
      if (!c) throw new Error(`makeFleet: unknown cluster ${p.cluster} for service ${s.name}`);
      for (const [appVersion, n] of Object.entries(p.versions)) {
        for (let i = 0; i < n; i++) {
          rows.push({
            name: `${s.name}-${p.cluster}-${appVersion}-${i + 1}`,
            serviceId: service.id,
            clusterId: c.id,
            appVersion,
            labels: { zone: c.zone, region: c.region, ...(s.labels ?? {}) },
            address: '',
          });
        }
      }
    }
    await db.instance.createMany({ data: rows });
    services.push(service);
  }
  return { services, clusters: clusterIds };
}

type PolicyKind = keyof typeof defaultPolicies;

/** The global default policy of each kind at version 1, as the first start seeds them. */
export async function makeDefaultPolicies(db: DbOrTx, kinds: PolicyKind[] = Object.keys(defaultPolicies) as PolicyKind[]) {
  for (const kind of kinds) {
    const document = defaultPolicies[kind];
    const policy = await db.policy.create({ data: { kind, scope: 'global', document } });
    await db.policyVersion.create({ data: { policyId: policy.id, version: 1, document, message: 'The built-in defaults', authorName: 'seed' } });
  }
}
