// What the route tests need to know about the tRPC router: each procedure's kind and the keys
// of its zod input (an object, possibly optional, defaulted or refined), found by walking the
// zod 4 definition — so a route that names a field the procedure does not take fails in a test.
import type { z } from 'zod';
import { appRouter } from '../../root';

type AnyProcedure = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[] } };

export const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

interface ZodInternals {
  _zod: { def: { type: string; innerType?: ZodInternals; in?: ZodInternals; shape?: Record<string, unknown> } };
}

/** The keys an input object accepts; null when the input is not an object (or there is none). */
export function inputKeys(schema: unknown): string[] | null {
  let s = schema as ZodInternals | undefined;
  for (let i = 0; s && i < 10; i++) {
    const def = s._zod.def;
    if (def.type === 'object') return Object.keys(def.shape ?? {});
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else return null;
  }
  return null;
}

export function procedureInputKeys(path: string): string[] | null {
  const p = procedures[path];
  if (!p) throw new Error(`No procedure ${path}`);
  return p._def.inputs.length ? inputKeys(p._def.inputs[0]) : [];
}
