import type { HttpMethod, RestRoute } from './route';

// Path matching for /api/v1. A literal segment beats a `{param}` at the same position, so
// `/rollouts/import` is never read as `/rollouts/{id}`; between two patterns, the first segment
// where they differ decides. A path that matches under another method answers 405 with Allow.

export type Match = { route: RestRoute; params: Record<string, string> } | { allow: HttpMethod[] } | null;

const segmentsOf = (path: string) => path.split('/').filter(Boolean);

function matchPattern(pattern: string[], segments: string[]): { params: Record<string, string>; score: number[] } | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    const param = /^\{(\w+)\}$/.exec(p);
    if (param) {
      let value: string;
      try {
        value = decodeURIComponent(s);
      } catch {
        return null;
      }
      params[param[1]!] = value;
      score.push(0);
    } else if (p === s) {
      score.push(1);
    } else {
      return null;
    }
  }
  return { params, score };
}

/** Lexicographic: literal segments earlier in the path win. */
function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

export function matchRoute(routes: readonly RestRoute[], method: string, path: string): Match {
  const segments = segmentsOf(path);
  let best: { route: RestRoute; params: Record<string, string>; score: number[] } | null = null;
  const allow = new Set<HttpMethod>();
  let bestAny: number[] | null = null;
  for (const route of routes) {
    const m = matchPattern(segmentsOf(route.path), segments);
    if (!m) continue;
    if (!bestAny || better(m.score, bestAny)) {
      bestAny = m.score;
      allow.clear();
    }
    if (bestAny.join() === m.score.join()) allow.add(route.method);
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    if (!best || better(m.score, best.score)) best = { route, params: m.params, score: m.score };
  }
  if (best && bestAny && best.score.join() === bestAny.join()) return { route: best.route, params: best.params };
  if (allow.size) return { allow: [...allow].sort() };
  return null;
}
