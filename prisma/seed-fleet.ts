// The demo fleet written in a handful of statements (issue 14): at 10,000 instances makeFleet's
// row-at-a-time regions, zones and clusters and its per-service createMany took most of the first
// start (26 s on a loaded 2-core machine). Same rows as makeFleet (server/db/factories.ts), which
// the seed test compares; a fleet is written once, on the first start.
import type { Prisma } from '../server/db/generated/client';
import type { Tx } from '../server/db/client';
import type { FleetSpec } from '../server/db/factories';

// Prisma stamps createdAt/updatedAt with UTC wall time; `now()` read in UTC keeps to that.
const NOW = `(now() AT TIME ZONE 'UTC')`;

export async function insertFleet(tx: Tx, spec: FleetSpec): Promise<void> {
  const zones = spec.regions.flatMap((r) => r.zones.map((z) => ({ ...z, region: r.name })));
  const clusters = zones.flatMap((z) => z.clusters.map((c) => ({ name: c, zone: z.name, region: z.region })));
  await tx.$executeRawUnsafe(`INSERT INTO "Region" (id, name, "createdAt", "updatedAt") SELECT gen_random_uuid(), n, ${NOW}, ${NOW} FROM unnest($1::text[]) AS n`, spec.regions.map((r) => r.name));
  await tx.$executeRawUnsafe(
    `INSERT INTO "Zone" (id, "regionId", name, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), r.id, u.n, ${NOW}, ${NOW} FROM unnest($1::text[], $2::text[]) AS u(n, region) JOIN "Region" r ON r.name = u.region`,
    zones.map((z) => z.name),
    zones.map((z) => z.region),
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "Cluster" (id, "zoneId", name, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), z.id, u.n, ${NOW}, ${NOW} FROM unnest($1::text[], $2::text[]) AS u(n, zone) JOIN "Zone" z ON z.name = u.zone`,
    clusters.map((c) => c.name),
    clusters.map((c) => c.zone),
  );
  const where = new Map(clusters.map((c) => [c.name, c]));
  const names: string[] = [];
  const services: string[] = [];
  const clusterNames: string[] = [];
  const versions: string[] = [];
  const labels: string[] = [];
  for (const s of spec.services) {
    // A fleet describes a platform already running, so its routing counts as applied.
    await tx.service.create({ data: { name: s.name, description: s.description ?? '', routing: (s.routing ?? {}) as Prisma.InputJsonValue, labels: s.labels ?? {}, appliedVersion: 1 } });
    for (const p of s.placement) {
      const c = where.get(p.cluster);
      if (!c) throw new Error(`insertFleet: unknown cluster ${p.cluster} for service ${s.name}`);
      const label = JSON.stringify({ zone: c.zone, region: c.region, ...(s.labels ?? {}) });
      for (const [appVersion, n] of Object.entries(p.versions)) {
        for (let i = 0; i < n; i++) {
          names.push(`${s.name}-${p.cluster}-${appVersion}-${i + 1}`);
          services.push(s.name);
          clusterNames.push(p.cluster);
          versions.push(appVersion);
          labels.push(label);
        }
      }
    }
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "Instance" (id, name, "serviceId", "clusterId", "appVersion", labels, address, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), u.n, s.id, c.id, u.v, u.l::jsonb, '', ${NOW}, ${NOW}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(n, service, cluster, v, l, k)
       JOIN "Service" s ON s.name = u.service JOIN "Cluster" c ON c.name = u.cluster
      ORDER BY u.k`,
    names,
    services,
    clusterNames,
    versions,
    labels,
  );
}
