import { allOperations, isFileResponse, responseSchema } from '@tierwise/contract';
import { createTestApp, TestApp } from '../helpers/test-app';
import { apiRoutes, handlers } from './routes';

/**
 * The router and the contract agree. New routes must get their operation in packages/contract
 * (and `@ContractOperation(op)` on the handler); the share checks allow a few in flight (95%),
 * and print the routes that still lack one.
 */
const SHARE = 0.95;

describe('contract: the router and the operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const key = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path}`;

  it('has a route for every operation of the document', () => {
    const routes = new Set(apiRoutes(t.app));
    expect(
      allOperations()
        .map(key)
        .filter((r) => !routes.has(r)),
    ).toEqual([]);
  });

  it('has an operation for (at least 95% of) the routes of the router', () => {
    const routes = apiRoutes(t.app);
    const ops = new Set(allOperations().map(key));
    const missing = routes.filter((r) => !ops.has(r));
    if (missing.length) console.warn(`routes without an operation in packages/contract:\n  ${missing.join('\n  ')}`);
    expect(routes.length).toBeGreaterThan(70);
    expect({ share: (routes.length - missing.length) / routes.length >= SHARE, missing }).toEqual({ share: true, missing: expect.any(Array) });
  });

  it('links each handler to the operation of its own route, with a status the operation declares', () => {
    const all = handlers(t.app);
    const linked = all.filter((h) => h.operation);
    const unlinked = all.filter((h) => !h.operation).map((h) => `${h.controller}: ${h.route}`);
    if (unlinked.length) console.warn(`handlers without @ContractOperation:\n  ${unlinked.join('\n  ')}`);
    expect(linked.length / all.length).toBeGreaterThanOrEqual(SHARE);
    for (const h of linked) {
      const op = h.operation!;
      expect({ handler: h.controller, route: h.route }).toEqual({ handler: h.controller, route: key(op) });
      expect({ route: h.route, declared: Object.keys(op.responses) }).toEqual({ route: h.route, declared: expect.arrayContaining([String(h.status)]) });
    }
  });

  it('declares the request body of (at least 95% of) the operations that read one, and the 2xx response of 95% of all', () => {
    const linked = handlers(t.app).filter((h) => h.operation);
    const readers = linked.filter((h) => h.takesBody);
    const withBody = readers.filter((h) => h.operation!.body || h.operation!.bodyAlternatives);
    const noBody = readers.filter((h) => !withBody.includes(h)).map((h) => h.route);
    expect(readers.length).toBeGreaterThan(25);
    expect({ share: withBody.length / readers.length >= SHARE, noBody }).toEqual({ share: true, noBody: expect.any(Array) });
    // and an operation that documents a body reads one
    expect(linked.filter((h) => h.operation!.body && !h.takesBody).map((h) => h.route)).toEqual([]);

    const ops = allOperations();
    const with2xx = ops.filter((op) =>
      Object.entries(op.responses).some(([s, r]) => Number(s) < 300 && r !== undefined && (isFileResponse(r) || responseSchema(r) !== undefined)),
    );
    const no2xx = ops.filter((op) => !with2xx.includes(op)).map(key);
    console.info(`operations: ${ops.length}; 2xx schemas: ${with2xx.length}; bodies declared: ${withBody.length} of ${readers.length}`);
    expect({ share: with2xx.length / ops.length >= SHARE, no2xx }).toEqual({ share: true, no2xx: expect.any(Array) });
  });
});
