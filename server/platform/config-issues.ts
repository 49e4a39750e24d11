// Zod's default messages ("Invalid input: expected array, received undefined") name neither the
// field nor the fix. An adapter configuration is typed by hand in Settings, so every problem is
// said with its field path and in words: "services: missing (expected a list)".
import type { z } from 'zod';

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'an object',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  undefined: 'nothing',
  null: 'null',
  nan: 'not a number',
  bigint: 'a whole number',
};
const words = (type: string) => TYPE_WORDS[type] ?? type;

/** `services.0.backend` → `services[0].backend`. */
export function pathInWords(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function issueInWords(issue: z.core.$ZodIssue): string {
  const where = pathInWords(issue.path);
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    const expected = words(String(issue.expected));
    const text = received === 'undefined' ? `missing (expected ${expected})` : received ? `expected ${expected}, not ${words(received)}` : `expected ${expected}`;
    return where ? `${where}: ${text}` : `the configuration: ${text}`;
  }
  if (issue.code === 'unrecognized_keys') return `${where ? `${where}: ` : ''}unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // The schema's own messages usually start with the field they concern ("mapDir: …").
  if (/^[\w[\]. ]+: /.test(issue.message)) {
    const named = issue.message.slice(0, issue.message.indexOf(': '));
    // "sockets[].name: …" says which field, not which entry: give the full path instead.
    return named.includes('[]') && where ? `${where}: ${issue.message.slice(named.length + 2)}` : issue.message;
  }
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** Every problem of a configuration on one line each, named by where it is, in words. */
export function describeConfigIssues(error: z.ZodError): string {
  return error.issues.map(issueInWords).join('; ');
}
