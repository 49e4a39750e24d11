// The Overview's health summary in words (pure, tested in health-words.test.ts): a headline, then
// one line per signal, each a link to the view that lists what it counts.
import type { FleetHealth } from '@/server/services/topology/fleet-health';
import { formatCount, plural } from './format';

export interface HealthLine {
  key: string;
  text: string;
  href: string;
  /** True when the count calls for a look (drawn with the warning colour). */
  alert: boolean;
}

export interface HealthSummary {
  healthy: boolean;
  headline: string;
  lines: HealthLine[];
}

/** "1 breaker open", "3 breakers open" (the noun takes the plural, the verb stays). */
const countOf = (n: number, one: string, rest: string) => `${plural(n, one)} ${rest}`;

export function healthSummary(h: FleetHealth): HealthSummary {
  if (h.at === null) {
    return { healthy: false, headline: `No telemetry yet: the health of ${plural(h.instances, 'instance')} shows with the first tick.`, lines: [] };
  }
  const healthy = h.unhealthy === 0 && h.halfOpenBreakers === 0 && h.blockedStages === 0;
  const unreported = h.instances - h.sampled;
  const reporting = unreported > 0 ? `; ${formatCount(unreported)} without a sample in the newest tick` : '';
  const headline = healthy
    ? `All healthy: ${formatCount(h.sampled)} of ${formatCount(h.instances)} instances reporting, none degraded or down, no breaker open, no stage blocked.`
    : `${formatCount(h.unhealthy)} of ${formatCount(h.instances)} instances need a look (down, degraded or behind an open breaker)${reporting}.`;
  const lines: HealthLine[] = [
    { key: 'degraded', text: `${formatCount(h.degraded)} of ${formatCount(h.instances)} instances degraded`, href: '/topology?view=placement&unhealthy=1', alert: h.degraded > 0 },
    { key: 'down', text: `${formatCount(h.down)} of ${formatCount(h.instances)} instances down`, href: '/topology?view=placement&unhealthy=1', alert: h.down > 0 },
    { key: 'open', text: countOf(h.openBreakers, 'breaker', 'open'), href: '/machines?machine=breaker&state=open', alert: h.openBreakers > 0 },
    { key: 'half', text: countOf(h.halfOpenBreakers, 'breaker', 'half-open'), href: '/machines?machine=breaker&state=half-open', alert: h.halfOpenBreakers > 0 },
    {
      key: 'blocked',
      text: `${countOf(h.blockedStages, 'stage', 'blocked')}${h.blockedStages ? ` on ${plural(h.blockedInstances, 'instance')}` : ''}`,
      href: '/machines?machine=stage&state=blocked',
      alert: h.blockedStages > 0,
    },
    { key: 'rollouts', text: countOf(h.rolloutsRunning, 'rollout', 'running'), href: '/rollouts?state=in-flight', alert: false },
    { key: 'runs', text: countOf(h.experimentsRunning, 'experiment run', 'running'), href: '/experiments?state=in-flight', alert: false },
  ];
  return { healthy, headline, lines };
}
