import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allOperations, buildOpenApiDocument } from '@tierwise/contract';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('contract: the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is served at /api/openapi.json and is valid OpenAPI 3.1', async () => {
    const res = await t.http.get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tierwise-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(res.body));
    const result = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'validate-openapi.mjs'), file], { encoding: 'utf8' }));
    expect(result).toEqual({ valid: true, version: '3.1', errors: [] });
  });

  it('is the document the /api/docs page shows', async () => {
    const served = (await t.http.get('/api/openapi.json').expect(200)).body;
    const docs = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(docs).toEqual(served);
    await t.http.get('/api/docs').expect((r) => expect([200, 301, 302]).toContain(r.status));
  });

  it('resolves every $ref to a declared component', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) {
      const [, kind, name] = /^#\/components\/(schemas|responses)\/([\w.-]+)$/.exec(ref) ?? [];
      expect({ ref, found: Boolean(kind && doc.components[kind][name]) }).toEqual({ ref, found: true });
    }
  });

  it('gives every operation its error responses in the one error shape', () => {
    const doc = buildOpenApiDocument(allOperations());
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const responses = (op as { responses: Record<string, { $ref?: string }> }).responses;
        const errors = Object.entries(responses).filter(([s]) => Number(s) >= 400 && s !== '503');
        if (!(op as { security: unknown[] }).security.length) continue; // public routes: their own errors only
        expect({ op: `${method} ${path}`, has401: Boolean(responses['401']) }).toEqual({ op: `${method} ${path}`, has401: true });
        for (const [status, r] of errors) expect(r.$ref).toBe(`#/components/responses/Error${status}`);
      }
    }
    expect(doc.components.responses.Error422).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  });
});
