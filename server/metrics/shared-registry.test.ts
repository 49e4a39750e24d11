import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { promtoolCheck, sampleValue } from '../../test/exposition';
import type * as sharedModule from './shared-registry.mjs';
import { httpRequestSeconds, measureHttpRequest, methodLabel, routeClass, sharedRegistry, statusClass } from './shared-registry.mjs';

describe('HTTP request labels', () => {
  it('classes routes without keeping the path', () => {
    expect(routeClass('/api/trpc/rollouts.list?batch=1&input=%7B%7D')).toBe('trpc');
    expect(routeClass('/api/trpc')).toBe('trpc');
    expect(routeClass('/api/v1/rollouts/7f1c/start')).toBe('rest');
    expect(routeClass('/api/v1')).toBe('rest');
    expect(routeClass('/api/v10/x')).toBe('other');
    expect(routeClass('/api/health')).toBe('other');
    expect(routeClass('/_next/static/chunks/a.js')).toBe('other');
    expect(routeClass('/icon.svg')).toBe('other');
    expect(routeClass('/metrics')).toBe('metrics');
    expect(routeClass('/rollouts/7f1c?tab=history')).toBe('page');
    expect(routeClass('/')).toBe('page');
    expect(routeClass(undefined)).toBe('page');
  });

  it('keeps methods to the standard set and statuses to their class', () => {
    expect(methodLabel('get')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('other');
    expect(methodLabel(undefined)).toBe('other');
    expect([statusClass(200), statusClass(304), statusClass(404), statusClass(503), statusClass(0)]).toEqual(['2xx', '3xx', '4xx', '5xx', 'other']);
  });
});

describe('the shared registry', () => {
  it('is one instance per process, found again by a second copy of the module', async () => {
    const again = (await import(/* @vite-ignore */ `./shared-registry.mjs?copy=${Date.now()}`)) as typeof sharedModule;
    expect(again.sharedRegistry, 'a second evaluation of the module, as Next bundles one').not.toBe(sharedRegistry);
    expect(again.sharedRegistry()).toBe(sharedRegistry());
    expect(again.httpRequestSeconds()).toBe(httpRequestSeconds());
  });

  it('measures a request when its answer finishes, once, by class', async () => {
    const before = sampleValue(await sharedRegistry().metrics(), 'switchback_http_request_duration_seconds_count', { method: 'POST', route: 'rest', status: '4xx' }) ?? 0;
    const res = Object.assign(new EventEmitter(), { statusCode: 0 });
    measureHttpRequest({ method: 'post', url: '/api/v1/rollouts?limit=5' } as IncomingMessage, res as unknown as ServerResponse);
    res.statusCode = 422;
    res.emit('finish');
    res.emit('close');
    const text = await sharedRegistry().metrics();
    expect(sampleValue(text, 'switchback_http_request_duration_seconds_count', { method: 'POST', route: 'rest', status: '4xx' })).toBe(before + 1);
    expect(text).not.toContain('limit=5');
    const check = promtoolCheck(text);
    expect(check.parses, check.output).toBe(true);
    expect(check.lint.filter((l) => l.startsWith('switchback_'))).toEqual([]);
  });
});
