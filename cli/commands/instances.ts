// The fleet's instances from the command line: GET /api/v1/instances (the telemetry.instances
// procedure) with its filters, a page at a time. The filters are sent as they are given: the API
// validates them (an unknown health word, a zone that does not exist) and its refusal is printed.
import { intFlag, stringFlag } from '../args';
import { emit, get, itemsOf, nextCursorOf, text, type Command } from '../context';
import { usageError } from '../errors';
import { stateColour, table, type Column } from '../table';

/** Flag → query parameter of GET /instances (server/api/rest/routes/topology.ts). */
const FILTERS = [
  ['service', 'service'],
  ['region', 'region'],
  ['zone', 'zone'],
  ['cluster', 'cluster'],
  ['app-version', 'version'],
  ['admin-state', 'adminState'],
  ['health', 'health'],
] as const;

const num = (v: unknown, unit = '') => (typeof v === 'number' ? `${Math.round(v * 10) / 10}${unit}` : null);

/** The command line that shows the next page: the same filters, the next cursor. */
function moreLine(flags: Record<string, string | true | undefined>, next: string): string {
  const parts = ['switchback instances'];
  for (const [flag] of FILTERS) if (typeof flags[flag] === 'string') parts.push(`--${flag} ${JSON.stringify(flags[flag])}`);
  if (flags.unhealthy === true) parts.push('--unhealthy');
  if (typeof flags.limit === 'string') parts.push(`--limit ${flags.limit}`);
  return `More: ${parts.join(' ')} --cursor ${next}\n`;
}

const list: Command = {
  path: ['instances'],
  args: [],
  flags: ['service', 'region', 'zone', 'cluster', 'app-version', 'admin-state', 'health', 'unhealthy', 'limit', 'cursor'],
  summary: 'Instances by name with their health, weight and latency; filter by service, place, app version, admin state (ready|drain|maint) or health (healthy|unhealthy|unsampled; --unhealthy)',
  async run(ctx) {
    if (ctx.flags.unhealthy === true && ctx.flags.health !== undefined) throw usageError('instances: either --unhealthy or --health, not both.');
    const query: Record<string, string | number | undefined> = {};
    for (const [flag, param] of FILTERS) query[param] = stringFlag(ctx.flags[flag]);
    if (ctx.flags.unhealthy === true) query.health = 'unhealthy';
    query.limit = intFlag('limit', ctx.flags.limit, 1, 200);
    query.cursor = stringFlag(ctx.flags.cursor);
    const res = await ctx.api().get('/instances', { query });
    emit(ctx, res.body, () => {
      const items = itemsOf(res.body, 'instances');
      const filtered = FILTERS.some(([, p]) => query[p] !== undefined);
      if (items.length === 0) return filtered ? 'No instances match these filters.\n' : 'No instances yet. An admin imports the fleet from a platform adapter (console: Settings → Platform adapters → Import).\n';
      const cols: Column<unknown>[] = [
        { header: 'NAME', value: (i) => text(get(i, 'name')), max: 40 },
        { header: 'SERVICE', value: (i) => text(get(i, 'service')), max: 30 },
        { header: 'VERSION', value: (i) => text(get(i, 'appVersion')), max: 20 },
        { header: 'ADMIN', value: (i) => text(get(i, 'adminState')) },
        { header: 'CLUSTER', value: (i) => `${text(get(i, 'cluster')) ?? '?'} (${text(get(i, 'zone')) ?? '?'})`, max: 50 },
        { header: 'HEALTH', value: (i) => text(get(i, 'health')), colour: (i, p) => stateColour(ctx.style, text(get(i, 'health')) ?? '', p) },
        { header: 'WEIGHT', value: (i) => num(get(i, 'latest', 'effective')) },
        { header: 'P95', value: (i) => num(get(i, 'latest', 'p95'), ' ms') },
        { header: 'PROBLEMS', value: (i) => (Array.isArray(get(i, 'problems')) ? (get(i, 'problems') as unknown[]).map(String).join('; ') : null), max: 120 },
      ];
      const next = nextCursorOf(res.body);
      return table(cols, items, ctx.style) + (next ? moreLine(ctx.flags, next) : '');
    });
  },
};

export const instanceCommands: Command[] = [list];
