// Test helper: a real adapter with every platform write that reaches it written down, so a test
// can say which process changed the platform and when.
import type { PlatformAdapter } from '../adapter';
import { PLATFORM_WRITES } from '../fenced';

export function recorded<A extends PlatformAdapter>(adapter: A, writes: string[]): A {
  return new Proxy(adapter, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if ((PLATFORM_WRITES as readonly (string | symbol)[]).includes(prop)) writes.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
