// Policies over REST: list, one policy with its versions and drafts (ETag: the published
// version), diff of two versions, preview of an unsaved document, drafts, publish (If-Match →
// expectedVersion) and rollback. `{scope}` is 'global' or 'service:<id>'.
import type { ProcedureRoute } from '../route';
import { bodyWithParams, queryNumbers, type RawRequest } from './map-input';

const tag = 'policies';
const byRef = bodyWithParams();

export const policyRoutes: ProcedureRoute[] = [
  { method: 'GET', path: '/policies', procedure: 'policies.list', operationId: 'listPolicies', summary: 'Every policy (kind × scope) with its published version.', tag },
  { method: 'GET', path: '/policies/{kind}/{scope}', procedure: 'policies.get', operationId: 'getPolicy', summary: 'One policy: document, versions, drafts (ETag: the published version).', tag, mapInput: byRef },
  {
    method: 'GET',
    path: '/policies/{kind}/{scope}/diff',
    procedure: 'policies.diff',
    operationId: 'diffPolicyVersions',
    summary: 'What changed between versions a and b (?a=&b=).',
    tag,
    mapInput: (raw: RawRequest) => ({ ...raw.params, ...queryNumbers(raw, ['a', 'b']) }),
  },
  { method: 'POST', path: '/policies/{kind}/{scope}/preview', procedure: 'policies.preview', operationId: 'previewPolicy', summary: 'Replay recent telemetry under an unsaved document (body {document, minutes}).', tag, mapInput: byRef },
  { method: 'PUT', path: '/policies/{kind}/{scope}/draft', procedure: 'policies.saveDraft', operationId: 'savePolicyDraft', summary: 'Save your draft (If-Match: the version it is based on).', tag, versionField: 'baseVersion', mapInput: byRef },
  {
    method: 'POST',
    path: '/policies/{kind}/{scope}/publish',
    procedure: 'policies.publish',
    operationId: 'publishPolicy',
    summary: 'Publish a document as the next version (admins; If-Match: the version you started from, 0 for a new override).',
    tag,
    versionField: 'expectedVersion',
    mapInput: byRef,
  },
  {
    method: 'POST',
    path: '/policies/{kind}/{scope}/rollback',
    procedure: 'policies.rollback',
    operationId: 'rollbackPolicy',
    summary: 'Publish an earlier version again (admins; body {toVersion, message}; If-Match: the current version).',
    tag,
    versionField: 'expectedVersion',
    mapInput: byRef,
  },
];
