// What the New adapter dialog prefills per kind: a configuration that passes the kind's own
// schema (adapter-examples.test.ts checks each against server/platform/registry.ts), so a newcomer
// edits something valid instead of debugging the example.

export type AdapterKindChoice = 'sim' | 'haproxy';

export const ADAPTER_EXAMPLES: Record<AdapterKindChoice, Record<string, unknown>> = {
  sim: { seed: 42, hotZone: 'eu-west-b', hotZoneCapacity: 0.35 },
  haproxy: {
    sockets: [{ name: 'lb-1', address: 'unix:/run/haproxy/admin.sock' }],
    mapDir: '/etc/haproxy/maps',
    services: [
      {
        service: 'checkout',
        backend: 'be_checkout',
        versionBackends: { v1: 'be_checkout_v1', v2: 'be_checkout_v2' },
        headerMap: '/etc/haproxy/maps/abtest_checkout.map',
      },
    ],
    instances: [
      { instance: 'checkout-v1-1', service: 'checkout', version: 'v1', server: 's1' },
      { instance: 'checkout-v2-1', service: 'checkout', version: 'v2', server: 's2' },
    ],
  },
};

/** The example as the dialog shows it: indented JSON. */
export const exampleText = (kind: AdapterKindChoice) => JSON.stringify(ADAPTER_EXAMPLES[kind], null, 2);
