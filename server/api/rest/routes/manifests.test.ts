import { describe, expect, it } from 'vitest';
import { appRouter } from '../../root';
import { manifestRoutes, yamlWithNotes } from './manifests';
import { restRoutes } from './index';

describe('manifest REST routes', () => {
  it('are registered, name real procedures, and answer the YAML as application/yaml', () => {
    const procedures = Object.keys(appRouter._def.procedures);
    for (const r of manifestRoutes) {
      expect(restRoutes).toContain(r);
      expect(procedures).toContain(r.procedure);
    }
    expect(manifestRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rollouts/{id}/manifest', 'GET /experiments/{id}/manifest', 'POST /rollouts/import', 'POST /experiments/import']);
    expect(manifestRoutes.filter((r) => r.method === 'GET').every((r) => r.contentType === 'application/yaml')).toBe(true);
    expect(manifestRoutes[0]!.mapInput!({ params: { id: 'abc' }, query: {}, body: undefined })).toEqual({ id: 'abc' });
  });

  it('puts the notes on top of the YAML as comments, one line each', () => {
    expect(yamlWithNotes({ yaml: 'kind: Rollout\n', notes: ['no α', 'two\nlines'] })).toBe('# NOTE: no α\n# NOTE: two lines\nkind: Rollout\n');
  });
});
