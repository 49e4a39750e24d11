// Authoring refuses what the active adapter cannot do, in words that name the capability, before
// anything starts: a rollout that could only fail halfway (a regex header route on a platform
// that matches exact values, a p95 analysis without a histogram) is stopped at the form.
import type { HeaderMatch } from '../model';
import type { AnalysisMetric, RolloutSpec } from './spec';

/**
 * The part of a platform's capabilities rollouts depend on. Same field names as
 * PlatformCapabilities in server/platform/adapter.ts (server/domain may not import it), plus the
 * adapter's name for the words.
 */
export interface RolloutCapabilities {
  adapter: string;
  /** Version split and header rules per service. */
  routing: boolean;
  /** How header rules may match; [] = none. */
  headerMatches: readonly HeaderMatch[];
  /** Headers a rule may test; absent = any header. */
  routingHeaders?: readonly string[];
  /** Telemetry carries latency histogram buckets per instance and tick. */
  latencyHistogram: boolean;
}

export interface CapabilityRefusal {
  /** Where in the spec, dot-separated ("steps.0.match", "backgroundAnalysis.metrics.1"). */
  path: string;
  message: string;
}

const MATCH_WORDS: Record<HeaderMatch, string> = { exact: 'exactly', prefix: 'by prefix', regex: 'by regular expression' };

function list(xs: readonly string[]): string {
  return xs.length === 0 ? 'none' : xs.join(', ');
}

/** Everything in the spec the adapter cannot do; [] when it can run all of it. */
export function capabilityRefusals(spec: RolloutSpec, caps: RolloutCapabilities): CapabilityRefusal[] {
  const out: CapabilityRefusal[] = [];
  const who = `The ${caps.adapter} adapter`;
  if (!caps.routing) {
    out.push({ path: 'steps', message: `${who} cannot route by version (no version split or header rules), so it cannot run a rollout` });
    return out;
  }
  const allowedHeaders = caps.routingHeaders?.map((h) => h.toLowerCase());
  spec.steps.forEach((step, i) => {
    if (step.kind === 'setHeaderRoute') {
      if (!caps.headerMatches.includes(step.match)) {
        out.push({ path: `steps.${i}.match`, message: `${who} cannot match headers ${MATCH_WORDS[step.match]} (it supports: ${list(caps.headerMatches)})` });
      }
      if (allowedHeaders && !allowedHeaders.includes(step.header.toLowerCase())) {
        out.push({ path: `steps.${i}.header`, message: `${who} cannot route on the header ${step.header} (it routes on: ${list(caps.routingHeaders ?? [])})` });
      }
    }
    if (step.kind === 'analysis') latency(step.metrics, `steps.${i}.metrics`);
  });
  if (spec.backgroundAnalysis) latency(spec.backgroundAnalysis.metrics, 'backgroundAnalysis.metrics');
  return out;

  function latency(metrics: readonly AnalysisMetric[], at: string) {
    if (caps.latencyHistogram) return;
    metrics.forEach((m, j) => {
      if (m.metric !== 'latency') return;
      out.push({
        path: `${at}.${j}`,
        message: `${who} has no latency histogram, so p${m.quantile} latency cannot be analysed (a mean response time is not a percentile): add a Prometheus source exporting http_request_duration_seconds buckets, or analyse the error rate only`,
      });
    });
  }
}
