// Webhook subscriptions over REST (admins), each route the webhooks.* procedure: the secret is in
// the answer of POST /webhooks and POST /webhooks/{id}/rotate-secret only.
import type { ProcedureRoute } from '../route';
import { bodyWithParams, defined, queryNumber, versionOf, type RawRequest } from './map-input';

const tag = 'webhooks';
/** The JSON body with the path's id (the path wins over a body's id). */
const withId = bodyWithParams();
/** Only the path's id (GETs and the test send): a strict input sees no stray key. */
const idOnly = (raw: RawRequest) => ({ id: raw.params.id });
/** The version for compare-and-set: `?version=` or the body's (an If-Match header fills it too). */
const idAndVersion = (raw: RawRequest) => defined({ id: raw.params.id, version: versionOf(raw) });

export const webhookRoutes: ProcedureRoute[] = [
  { method: 'GET', path: '/webhooks', procedure: 'webhooks.list', operationId: 'listWebhooks', summary: 'Webhook subscriptions (admins), with delivery counts; never their secrets.', tag, paginated: {} },
  {
    method: 'POST',
    path: '/webhooks',
    procedure: 'webhooks.create',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events (body {name, url, events, format json|slack}); the signing secret is in this answer only.',
    tag,
    successStatus: 201,
  },
  { method: 'GET', path: '/webhooks/{id}', procedure: 'webhooks.get', operationId: 'getWebhook', summary: 'One webhook subscription (ETag: its version).', tag, mapInput: idOnly },
  {
    method: 'PUT',
    path: '/webhooks/{id}',
    procedure: 'webhooks.update',
    operationId: 'updateWebhook',
    summary: 'Change a subscription (body {name, url, events, format, active}; If-Match: its version).',
    tag,
    versionField: 'version',
    mapInput: withId,
  },
  { method: 'DELETE', path: '/webhooks/{id}', procedure: 'webhooks.remove', operationId: 'removeWebhook', summary: 'Remove a subscription (If-Match: its version); nothing more is sent to it.', tag, versionField: 'version', mapInput: idAndVersion },
  {
    method: 'POST',
    path: '/webhooks/{id}/rotate-secret',
    procedure: 'webhooks.rotateSecret',
    operationId: 'rotateWebhookSecret',
    summary: 'A new signing secret, in this answer only (If-Match: its version); deliveries are signed with it from now on.',
    tag,
    versionField: 'version',
    mapInput: idAndVersion,
  },
  { method: 'POST', path: '/webhooks/{id}/test', procedure: 'webhooks.test', operationId: 'testWebhook', summary: 'Send a `test` event to this subscription now; answers {deliveryId} (follow it in the deliveries).', tag, successStatus: 202, mapInput: idOnly },
  {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    procedure: 'webhooks.deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The newest deliveries of a subscription (?limit= up to 200): event, state, attempts, last status and answer, the body as sent.',
    tag,
    mapInput: (raw: RawRequest) => defined({ id: raw.params.id, limit: queryNumber(raw, 'limit') }),
  },
];
