import type { RestRoute } from '../route';

// API tokens over REST: the same procedures as Settings → API tokens. A script can list, create
// (the secret is in the 201 answer, once) and revoke tokens of its own user; an admin's token
// can list everyone's and revoke any. DELETE takes an optional `reason` in the body or query.
export const tokenRoutes: RestRoute[] = [
  { method: 'GET', path: '/tokens', operationId: 'listTokens', summary: "The caller's own API tokens (never the secret)", tag: 'tokens', procedure: 'tokens.list', paginated: {} },
  { method: 'GET', path: '/tokens/all', operationId: 'listAllTokens', summary: "Every user's API tokens, with the owner (admin)", tag: 'tokens', procedure: 'tokens.listAll', paginated: {} },
  {
    method: 'POST',
    path: '/tokens',
    operationId: 'createToken',
    summary: 'Create an API token (role at most yours, expiry in days or a date); the answer carries the secret, shown this once',
    tag: 'tokens',
    procedure: 'tokens.create',
    successStatus: 201,
  },
  {
    method: 'DELETE',
    path: '/tokens/{id}',
    operationId: 'revokeToken',
    summary: 'Revoke an API token (your own; an admin: anyone’s), with an optional reason',
    tag: 'tokens',
    procedure: 'tokens.revoke',
  },
];
