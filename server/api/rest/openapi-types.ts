import type { Role } from '../../db/generated/enums';

// The shape of the OpenAPI document this API generates (the subset it uses), shared by the
// generator, its tests and the console's reference page (which imports these types only).

export interface OaSchema {
  type?: string | string[];
  properties?: Record<string, OaSchema>;
  required?: string[];
  items?: OaSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: OaSchema[];
  oneOf?: OaSchema[];
  description?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  $ref?: string;
  additionalProperties?: boolean | OaSchema;
}

export interface OaParameter {
  name?: string;
  in?: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema?: OaSchema;
  content?: Record<string, { schema: OaSchema }>;
  $ref?: string;
}

export interface OaResponse {
  description?: string;
  $ref?: string;
  content?: Record<string, { schema: OaSchema }>;
  headers?: Record<string, { description?: string; schema?: OaSchema }>;
}

export interface OaOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-min-role': Role | 'public';
  security?: unknown[];
  parameters?: OaParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: OaSchema }> };
  responses: Record<string, OaResponse>;
}

export type OaMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, Partial<Record<OaMethod, OaOperation>>>;
  components: {
    schemas: Record<string, OaSchema>;
    parameters: Record<string, OaParameter>;
    responses: Record<string, OaResponse>;
    securitySchemes: Record<string, unknown>;
  };
}
