// `switchback instances` against the real REST handler and PostgreSQL: the CLI runs in-process and
// its fetch goes to handleRestRequest (the very handler app/api/v1/[...path] serves), so the
// filters it sends are the ones the route accepts and the refusals it prints are the API's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import { tokenFor } from '../test/api-fixtures';
import { handleRestRequest } from '../server/api/rest/dispatch';
import { makeFleet } from '../server/db/factories';
import { makeTick } from '../server/db/telemetry-factories';
import { run } from './run';

let t: TestDb;
let viewer: string;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'eu-west', zones: [{ name: 'euw-a', clusters: ['euw-a-1'] }, { name: 'euw-b', clusters: ['euw-b-1'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'euw-a-1', versions: { v1: 2 } }, { cluster: 'euw-b-1', versions: { v2: 1 } }] },
      { name: 'web', placement: [{ cluster: 'euw-b-1', versions: { v1: 1 } }] },
    ],
  });
  const ids = new Map((await t.db.instance.findMany()).map((i) => [i.name, i.id]));
  // api-euw-a-1-v1-2 is degraded with its breaker open; web has no sample yet.
  await makeTick(t.db, {
    at: new Date(),
    samples: [
      { instanceId: ids.get('api-euw-a-1-v1-1')!, effectiveWeight: 60, p95Ms: 120 },
      { instanceId: ids.get('api-euw-a-1-v1-2')!, effectiveWeight: 5, p95Ms: 100, degradation: 2, breaker: 'open' },
      { instanceId: ids.get('api-euw-b-1-v2-1')! },
    ],
  });
  viewer = (await tokenFor(t.db, 'viewer')).secret;
});
afterAll(() => t.close());

async function cli(argv: string[], token = viewer) {
  let stdout = '';
  let stderr = '';
  const requests: string[] = [];
  const code = await run(argv, {
    env: { SWITCHBACK_URL: 'http://127.0.0.1:9', SWITCHBACK_TOKEN: token },
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    readStdin: () => Promise.resolve(''),
    fetch: async (input, init) => {
      const req = new Request(input, init);
      requests.push(new URL(req.url).pathname + new URL(req.url).search);
      req.headers.set('x-forwarded-for', '127.0.0.1');
      return handleRestRequest(req, { db: t.db, config: { sessionHours: 1, cookieSecure: false } });
    },
  });
  return { code, stdout, stderr, requests };
}

const names = (stdout: string) => stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);

describe('switchback instances', () => {
  it('lists every instance as a table: health, weight, p95 and the problems in words', async () => {
    const r = await cli(['instances']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME +SERVICE +VERSION +ADMIN +CLUSTER +HEALTH +WEIGHT +P95 +PROBLEMS$/);
    expect(names(r.stdout)).toEqual(['api-euw-a-1-v1-1', 'api-euw-a-1-v1-2', 'api-euw-b-1-v2-1', 'web-euw-b-1-v1-1']);
    expect(lines[1]).toMatch(/^api-euw-a-1-v1-1 +api +v1 +ready +euw-a-1 \(euw-a\) +healthy +60 +120 ms +—$/);
    expect(lines[2]).toMatch(/unhealthy +5 +100 ms +degraded to L2; breaker open$/);
    expect(lines[4]).toMatch(/^web-euw-b-1-v1-1 .* unsampled +— +— +—$/);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('sends the filters as the query GET /instances takes and shows what they match', async () => {
    const byService = await cli(['instances', '--service', 'api', '--zone', 'euw-b', '--app-version', 'v2']);
    expect(byService.requests).toEqual(['/api/v1/instances?service=api&zone=euw-b&version=v2']);
    expect(names(byService.stdout)).toEqual(['api-euw-b-1-v2-1']);
    const unhealthy = await cli(['instances', '--unhealthy']);
    expect(unhealthy.requests).toEqual(['/api/v1/instances?health=unhealthy']);
    expect(names(unhealthy.stdout)).toEqual(['api-euw-a-1-v1-2']);
    expect(names((await cli(['instances', '--health', 'unsampled', '--cluster', 'euw-b-1'])).stdout)).toEqual(['web-euw-b-1-v1-1']);
    expect((await cli(['instances', '--admin-state', 'drain'])).stdout).toBe('No instances match these filters.\n');
  });

  it('--json prints the API answer as it is: a page of items with the next cursor', async () => {
    const r = await cli(['instances', '--json', '--limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    const page = JSON.parse(r.stdout) as { items: Array<{ name: string; health: string; problems: string[] }>; nextCursor: string | null };
    expect(page.items.map((i) => i.name)).toEqual(['api-euw-a-1-v1-1', 'api-euw-a-1-v1-2', 'api-euw-b-1-v2-1']);
    expect(page.items[1]).toMatchObject({ health: 'unhealthy', problems: ['degraded to L2', 'breaker open'] });
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('pages with --limit and says how to get the next page with the same filters', async () => {
    const first = await cli(['instances', '--service', 'api', '--limit', '2']);
    expect(names(first.stdout.split('More:')[0]!)).toEqual(['api-euw-a-1-v1-1', 'api-euw-a-1-v1-2']);
    const more = /More: switchback instances (.*)\n$/.exec(first.stdout);
    expect(more?.[1]).toMatch(/^--service "api" --limit 2 --cursor \S+$/);
    const argv = more![1]!.split(' ').map((a) => a.replace(/^"(.*)"$/, '$1'));
    const second = await cli(['instances', ...argv]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('More:');
    expect(names(second.stdout)).toEqual(['api-euw-b-1-v2-1']);
  });

  it('--help names the command with its filters', async () => {
    const r = await cli(['instances', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('switchback instances [--service SERVICE] [--region REGION] [--zone ZONE] [--cluster CLUSTER] [--app-version APP-VERSION] [--admin-state ADMIN-STATE] [--health HEALTH] [--unhealthy] [--limit LIMIT]');
    expect(r.requests).toEqual([]);
  });

  it('refuses in words: a bounded page size and no conflicting flags before any request, the API’s refusals after', async () => {
    for (const argv of [['--limit', '0'], ['--limit', '201'], ['--unhealthy', '--health', 'healthy']]) {
      const r = await cli(['instances', ...argv]);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.requests).toEqual([]);
      expect(r.stderr).toMatch(/--limit: a whole number from 1 to 200|either --unhealthy or --health/);
    }
    const badHealth = await cli(['instances', '--health', 'sick']);
    expect(badHealth.code).toBe(1);
    expect(badHealth.stderr).toContain('Health: one of healthy, unhealthy, unsampled');
    const noZone = await cli(['instances', '--zone', 'mars-1']);
    expect(noZone.code).toBe(4);
    expect(noZone.stderr).toContain('Zone "mars-1"');
    const badToken = await cli(['instances'], 'sbt_abcdefgh_0123456789012345678901234567890123456789012');
    expect(badToken.code).toBe(2);
    for (const r of [badHealth, noZone, badToken]) expect(r.stderr).not.toMatch(/\n\s+at |SELECT|prisma/i);
  });
});
