import { z } from 'zod';
import { allOperations, buildOpenApiDocument, component, defineOperation, openApiDocument } from '../src';

describe('the operation registry', () => {
  it('refuses an operation id or a method and path declared twice', () => {
    const [first] = allOperations();
    expect(() => defineOperation({ ...first })).toThrow(/declared twice/);
    expect(() => defineOperation({ ...first, id: 'another' })).toThrow(/is declared by/);
  });

  it('refuses to name one schema twice', () => {
    const s = component('OnceNamed', z.object({ a: z.string() }));
    expect(() => component('TwiceNamed', s)).toThrow(/named again/);
  });

  it('builds a document with every operation, each schema a named component', () => {
    const doc = openApiDocument();
    const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(count).toBe(allOperations().length);
    expect(JSON.stringify(doc)).not.toContain('__shared');
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['statusCode', 'error', 'message'] });
  });

  it('documents a definition by the engine schema while accepting any JSON at run time', () => {
    const doc = buildOpenApiDocument(allOperations());
    expect(doc.components.schemas.ValidateBody).toMatchObject({ properties: { definition: { $ref: '#/components/schemas/PolicyDefinition' } } });
  });
});
