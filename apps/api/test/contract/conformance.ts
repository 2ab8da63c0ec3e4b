import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '@tierwise/contract';
import type { Response } from 'supertest';

const ID = 'https://tierwise.invalid/openapi.json';

type Json = Record<string, unknown>;

/**
 * Checks real responses against the schemas the document declares for them (ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses it): the operation is found by method and path, the response by status.
 */
export class Conformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** `operationId status` of every response checked. */
  readonly checked = new Set<string>();

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ $id: ID, components: { schemas: doc.components.schemas } });
  }

  private operation(method: string, path: string): { id: string; op: Json } {
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const op = item[method.toLowerCase()] as Json | undefined;
      if (op && re.test(path)) return { id: op.operationId as string, op };
    }
    throw new Error(`no operation for ${method} ${path}`);
  }

  private validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `${ID}${ref}` });
      this.compiled.set(ref, v);
    }
    return v;
  }

  /** The response's body matches the schema declared for its operation and status; returns the operationId. */
  check(res: Response): string {
    const req = (res as unknown as { req: { method: string; path: string } }).req;
    const path = req.path.split('?')[0];
    const { id, op } = this.operation(req.method, decodeURIComponent(path));
    const responses = op.responses as Record<string, Json>;
    let declared = responses[String(res.status)];
    if (!declared) throw new Error(`${id} answered ${res.status}, which it does not declare (${Object.keys(responses).join(', ')}): ${res.text.slice(0, 300)}`);
    if (typeof declared.$ref === 'string') declared = this.doc.components.responses[declared.$ref.split('/').pop() as string] as Json;
    const content = declared.content as Record<string, { schema: Json }> | undefined;
    const json = content?.['application/json'];
    if (json) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const ref = json.schema.$ref as string | undefined;
      const v = ref ? this.validator(ref) : this.ajv.compile(JSON.parse(JSON.stringify(json.schema).replaceAll('"#/components/', `"${ID}#/components/`)));
      if (!v(res.body)) {
        throw new Error(
          `${id} ${res.status}: the body does not match its schema:\n${JSON.stringify(v.errors, null, 1).slice(0, 2000)}\n${res.text.slice(0, 500)}`,
        );
      }
    } else if (content) {
      expect(Object.keys(content).some((type) => String(res.headers['content-type']).startsWith(type))).toBe(true);
    }
    this.checked.add(`${id} ${res.status}`);
    return id;
  }
}
