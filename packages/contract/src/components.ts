import { z } from 'zod';

/** The named schemas of the contract: each becomes `#/components/schemas/<id>` in the OpenAPI document. */
export const components = z.registry<{ id: string }>();

/** Names a schema (a reusable component of the document) and returns it unchanged. */
export function component<T extends z.ZodType>(id: string, schema: T): T {
  const existing = components.get(schema);
  if (existing && existing.id !== id) throw new Error(`schema ${existing.id} is named again as ${id}`);
  if (!existing) components.add(schema, { id });
  return schema;
}
