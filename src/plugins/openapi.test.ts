/** The OpenAPI document is complete enough to generate the web client from it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { operationIdOf } from './openapi.js';

type Operation = {
  operationId?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { format?: string }> } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };
  const operations = () =>
    Object.entries(doc.paths).flatMap(([url, ops]) => Object.entries(ops).map(([method, op]) => ({ url, method, op })));

  beforeAll(async () => {
    t = await createTestApp({ seed: false, env: { PUBLIC_URL: 'https://mediation.example.cn' } });
    doc = (await t.app.inject({ url: '/docs/json' })).json();
  });
  afterAll(() => t.close());

  it('names the server and every operation, each name once', () => {
    expect(doc.servers).toEqual([{ url: 'https://mediation.example.cn' }]);
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/claims/{id}/events']!.get!.operationId).toBe('getClaimsByIdEvents');
    expect(operationIdOf('GET', '/portal/')).toBe('getPortalIndex');
    expect(operationIdOf('GET', '/api/batches/:id/errors.csv')).toBe('getBatchesByIdErrorsCsv');
  });

  it('asks for no credentials on public routes, and for them everywhere else', () => {
    expect(doc.paths['/api/auth/login']!.post!.security).toEqual([]);
    expect(doc.paths['/verify/{code}']!.get!.security).toEqual([]);
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/api/claims']!.get!.security).toBeUndefined();
  });

  it('declares the body of every download and problems as application/problem+json', () => {
    for (const { url, method, op } of operations()) {
      const success = Object.keys(op.responses).filter((s) => /^[23]/.test(s));
      expect(success.length, `${method} ${url}`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses))
        for (const [type, media] of Object.entries(response.content ?? {}))
          if ((media.schema as { $ref?: string }).$ref === '#/components/schemas/Problem')
            expect(type, `${method} ${url} ${status}`).toBe('application/problem+json');
    }
    const file = (url: string) => doc.paths[url]!.get!.responses['200']!.content!;
    expect(file('/api/batches/{id}/errors.csv')['text/csv']!.schema).toEqual({ type: 'string', format: 'binary' });
    expect(Object.keys(file('/api/documents/{id}/pdf'))).toEqual(['application/pdf']);
    expect(Object.keys(file('/api/sessions/{id}/transcript.pdf'))).toEqual(['application/pdf']);
    expect(Object.keys(file('/api/attachments/{id}'))).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
  });

  it('describes the multipart uploads beside their JSON forms', () => {
    const batch = doc.paths['/api/batches']!.post!.requestBody!.content;
    expect(Object.keys(batch).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(batch['multipart/form-data']!.schema.properties!.file!.format).toBe('binary');
    const objection = doc.paths['/api/debtor/claims/{id}/objections']!.post!.requestBody!.content;
    expect(Object.keys(objection['multipart/form-data']!.schema.properties!)).toEqual([
      'category',
      'statement',
      'files',
    ]);
    expect(doc.paths['/api/debtor/hardship']!.post!.requestBody!.content['multipart/form-data']).toBeDefined();
    expect(doc.paths['/verify/{code}']!.post!.requestBody!.content['multipart/form-data']).toBeDefined();
  });
});
