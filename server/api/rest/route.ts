import type { z } from 'zod';
import type { Role } from '../../db/generated/enums';
import type { Context } from '../trpc';

/**
 * One REST endpoint of /api/v1. Most routes are a tRPC procedure under another name: the REST
 * layer calls that procedure (same zod input, same role tier, same service function, same audit)
 * and the OpenAPI document is generated from that procedure's own input schema — there is no
 * second contract written by hand. A route with `handler` instead composes several reads (e.g.
 * /status) and declares its input schema itself.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRouteBase {
  method: HttpMethod;
  /** Under /api/v1, with `{name}` path parameters: '/rollouts/{id}/approve'. */
  path: string;
  /** operationId in the OpenAPI document (camelCase, unique). */
  operationId: string;
  summary: string;
  /** OpenAPI tag: 'rollouts', 'experiments', 'safety', … */
  tag: string;
  /**
   * The input field that carries the row's version for compare-and-set ('version',
   * 'expectedVersion', 'baseVersion'): an `If-Match: "<n>"` header fills it, and a stale write
   * answers 412 naming the current version. GET answers carry `ETag: "<version>"` when the output
   * has a numeric `version`.
   */
  versionField?: string;
  /** POSTs that start something: an `Idempotency-Key` header replays the first answer. */
  idempotent?: boolean;
  /**
   * A list answered with cursor pagination: the procedure's output array (at `items`, or the
   * output itself) is cut into pages of `limit` (query, default 50, at most 200) after `cursor`.
   */
  paginated?: { itemsAt?: string; idOf?: (item: unknown) => string };
  /** 201 for creates; default 200 (204 when the procedure returns nothing). */
  successStatus?: 200 | 201 | 202 | 204;
  /**
   * The request's own shape when mapInput reshapes it (for the OpenAPI document and the
   * reference page); without mapInput the procedure's input schema is the request's shape.
   */
  requestSchema?: z.ZodType;
  /** Extra input taken from the request that the procedure's schema names differently. */
  mapInput?: (raw: { params: Record<string, string>; query: Record<string, unknown>; body: unknown }) => unknown;
  /**
   * Output reshaped for REST (e.g. a text report); default: the procedure's output as JSON.
   * Runs before pagination: `paginated.itemsAt` names the list in the reshaped answer. `input` is
   * what the procedure was called with (e.g. to read `format`).
   */
  mapOutput?: (output: unknown, input: unknown) => unknown;
  /**
   * Content type of a non-JSON answer (e.g. 'text/markdown', 'application/yaml'); mapOutput
   * returns the string. A function decides per request (`?format=markdown`); undefined = JSON.
   */
  contentType?: string | ((input: unknown) => string | undefined);
  /** The ETag's version when the answer's own numeric `version` is not it (e.g. a policy's published version). */
  etagOf?: (output: unknown) => number | undefined;
  /** Documentation of the answer's shape for the OpenAPI document (default: any JSON). */
  outputDescription?: string;
}

export interface ProcedureRoute extends RestRouteBase {
  /** Dotted tRPC path, e.g. 'rollouts.decide'. */
  procedure: string;
}

export interface HandlerRoute extends RestRouteBase {
  /** The least role that may call it ('public': no token needed). */
  min: Role | 'public';
  input: z.ZodType;
  handler: (ctx: Context, input: unknown) => Promise<unknown>;
}

export type RestRoute = ProcedureRoute | HandlerRoute;

export const REST_PREFIX = '/api/v1';
