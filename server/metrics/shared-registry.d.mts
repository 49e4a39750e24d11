// Types of shared-registry.mjs (plain JavaScript so that scripts/web-server.mjs can load it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Histogram, Registry } from 'prom-client';

export function sharedRegistry(): Registry;
export function sharedMetric<T>(name: string, make: (registry: Registry) => T): T;
export function methodLabel(method: string | undefined): string;
export function routeClass(url: string | undefined): 'page' | 'trpc' | 'rest' | 'metrics' | 'other';
export function statusClass(status: number): string;
export function httpRequestSeconds(): Histogram<'method' | 'route' | 'status'>;
export function measureHttpRequest(req: IncomingMessage, res: ServerResponse): void;
