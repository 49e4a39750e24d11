// Header-route regular expressions run against client-controlled header values: in the simulator
// and in HAProxy (a `map_reg` key, matched on every request). A backtracking engine takes
// exponential time on patterns such as `^(\w+-?)+\d$` (13.6 s in V8 on a 37-character value), so
// the spec accepts only a subset where that cannot happen: no repeated group that itself repeats
// or holds alternatives, no back-references, no lookarounds, bounded length and repeat counts.
// The subset is also what JavaScript and PCRE read the same way.

export const MAX_REGEX_LENGTH = 100;
/** Largest `{n,m}` count: a bounded repeat, not a way around the other rules. */
export const MAX_REPEAT_COUNT = 100;

interface Frame {
  /** The group holds a quantifier (at any depth). */
  quantified: boolean;
  /** The group holds `|` (at any depth). */
  alternation: boolean;
}

type Atom = { kind: 'none' } | { kind: 'simple' } | { kind: 'group'; frame: Frame };

const QUANTIFIER_BRACES = /^\{(\d+)(,(\d*))?\}/;

/**
 * Why a header-route pattern is refused, in words; null when it is in the safe subset. The caller
 * checks separately that the pattern compiles (this reads only what a valid pattern can contain).
 */
export function unsafeRegexProblem(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `A regular expression of at most ${MAX_REGEX_LENGTH} characters`;
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  let last: Atom = { kind: 'none' };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return 'Back-references (such as \\1) are not allowed: they make matching slow on some values';
      i++;
      last = { kind: 'simple' };
    } else if (c === '[') {
      // A class is one atom: skip to its closing bracket (JavaScript: `]` right after `[` or `[^` closes it).
      let j = i + 1;
      if (pattern[j] === '^') j++;
      for (; j < pattern.length && pattern[j] !== ']'; j++) if (pattern[j] === '\\') j++;
      i = j;
      last = { kind: 'simple' };
    } else if (c === '(') {
      if (pattern[i + 1] === '?') {
        const rest = pattern.slice(i + 2);
        if (/^(=|!|<=|<!)/.test(rest)) return 'Lookaheads and lookbehinds (such as (?=…)) are not allowed';
        if (rest.startsWith(':')) i += 2;
        else if (/^<[A-Za-z_$][\w$]*>/.test(rest)) i += 1 + rest.indexOf('>') + 1;
        else return 'Only plain groups ( … ), (?: … ) and named groups (?<name> … ) are allowed';
      }
      stack.push({ quantified: false, alternation: false });
      last = { kind: 'none' };
    } else if (c === ')') {
      const frame = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      parent.quantified ||= frame.quantified;
      parent.alternation ||= frame.alternation;
      last = { kind: 'group', frame };
    } else if (c === '|') {
      top.alternation = true;
      last = { kind: 'none' };
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && QUANTIFIER_BRACES.test(pattern.slice(i)))) {
      let repeats = c !== '?';
      if (c === '{') {
        const m = QUANTIFIER_BRACES.exec(pattern.slice(i))!;
        const counts = [m[1], m[3]].filter((x): x is string => !!x).map(Number);
        if (counts.some((n) => n > MAX_REPEAT_COUNT)) return `Repeat counts ({n,m}) of at most ${MAX_REPEAT_COUNT}`;
        repeats = m[2] !== undefined ? m[3] === '' || Number(m[3]) > 1 : Number(m[1]) > 1;
        i += m[0].length - 1;
      }
      if (repeats && last.kind === 'group' && (last.frame.quantified || last.frame.alternation)) {
        return last.frame.quantified
          ? 'A repeated group may not contain another repeat (such as (a+)+): matching would take exponential time on some values'
          : 'A repeated group may not contain alternatives (such as (a|b)*): use a character class such as [ab]* instead';
      }
      top.quantified = true;
      if (pattern[i + 1] === '?') i++; // lazy: the same repeat
      last = { kind: 'simple' };
    } else {
      last = { kind: 'simple' };
    }
  }
  return null;
}
