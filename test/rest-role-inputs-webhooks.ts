import type { TestDb } from './context';
import type { PlausibleRow } from './rest-role-inputs';

// Plausible requests for the /webhooks routes (admins only); each write gets a subscription of its own.
const hook = (t: TestDb) =>
  t.db.webhookSubscription.create({ data: { name: `rest-${Math.random().toString(36).slice(2, 10)}`, url: 'http://127.0.0.1:9/rest', events: ['halt_engaged'], secret: 'whsec_rest', createdByName: 'matrix' } });

export const webhookRouteInputs: Record<string, PlausibleRow> = {
  'GET /webhooks': () => ({}),
  'POST /webhooks': () => ({ body: { name: `rest-${Math.random().toString(36).slice(2, 10)}`, url: 'http://127.0.0.1:9/rest', events: ['halt_engaged'] } }),
  'GET /webhooks/{id}': async (t) => ({ params: { id: (await hook(t)).id } }),
  'PUT /webhooks/{id}': async (t) => {
    const w = await hook(t);
    return { params: { id: w.id }, body: { version: w.version, name: w.name, url: 'http://127.0.0.1:9/edited', events: ['halt_released'], format: 'slack' } };
  },
  'DELETE /webhooks/{id}': async (t) => {
    const w = await hook(t);
    return { params: { id: w.id }, query: { version: String(w.version) } };
  },
  'POST /webhooks/{id}/rotate-secret': async (t) => {
    const w = await hook(t);
    return { params: { id: w.id }, headers: { 'if-match': `"${w.version}"` } };
  },
  'POST /webhooks/{id}/test': async (t) => ({ params: { id: (await hook(t)).id } }),
  'GET /webhooks/{id}/deliveries': async (t) => ({ params: { id: (await hook(t)).id }, query: { limit: '10' } }),
};
