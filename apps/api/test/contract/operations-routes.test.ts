import { allOperations } from '@tierwise/contract';
import { createTestApp, TestApp } from '../helpers/test-app';
import { apiRoutes, handlers } from './routes';

describe('contract: the router and the operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has a route for every operation of the document', () => {
    const routes = new Set(apiRoutes(t.app));
    const missing = allOperations()
      .map((op) => `${op.method.toUpperCase()} ${op.path}`)
      .filter((r) => !routes.has(r));
    expect(missing).toEqual([]);
  });

  it('links each handler that declares an operation to the operation of its own route and status', () => {
    const linked = handlers(t.app).filter((h) => h.operation);
    expect(linked.length).toBeGreaterThan(40);
    for (const h of linked) {
      const op = h.operation!;
      expect({ handler: `${h.controller}`, route: h.route }).toEqual({ handler: h.controller, route: `${op.method.toUpperCase()} ${op.path}` });
      expect({ route: h.route, status: Object.keys(op.responses).includes(String(h.status)) }).toEqual({ route: h.route, status: true });
    }
  });
});
