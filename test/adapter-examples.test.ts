// A contract between the console and the server: what the New adapter dialog prefills must pass
// the registry's schema for its kind (it once failed its own check). Here, not under components/,
// because client code may not import server modules.
import { describe, expect, it } from 'vitest';
import { ADAPTER_KINDS, ADAPTER_REGISTRY } from '@/server/platform/registry';
import { describeConfigIssues } from '@/server/platform/config-issues';
import { ADAPTER_EXAMPLES, exampleText } from '@/components/settings/adapter-examples';

describe('the New adapter dialog’s prefilled examples', () => {
  it('has one example per kind the registry knows', () => {
    expect(Object.keys(ADAPTER_EXAMPLES).sort()).toEqual([...ADAPTER_KINDS].sort());
  });

  it.each(ADAPTER_KINDS)('the %s example passes its own schema and builds an adapter', (kind) => {
    const parsed = ADAPTER_REGISTRY[kind].configSchema.safeParse(JSON.parse(exampleText(kind)));
    expect(parsed.success ? 'valid' : describeConfigIssues(parsed.error)).toBe('valid');
    // Building checks what the schema alone does not (the constructor's own rules); nothing connects.
    const adapter = ADAPTER_REGISTRY[kind].create(JSON.parse(exampleText(kind)), { debug: () => undefined });
    void adapter.close();
  });
});
