import type { PolicyDefinition } from '@tierwise/policy-engine';

/** The JSON tab's text for a definition: two-space indentation, keys in their stored order. */
export const definitionToJson = (definition: PolicyDefinition): string => JSON.stringify(definition, null, 2);

export type ParsedDefinition = { ok: true; definition: PolicyDefinition } | { ok: false; error: string };

/**
 * Parses the JSON tab. Only the outer shape is checked here (an object with a `tiers` array), so
 * that anything the builder cannot show is still kept verbatim; the engine's validation reports
 * the rest inline.
 */
export function parseDefinitionJson(text: string): ParsedDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'tw.builder.json.notObject' };
  if (!Array.isArray((value as { tiers?: unknown }).tiers)) return { ok: false, error: 'tw.builder.json.noTiers' };
  return { ok: true, definition: value as PolicyDefinition };
}
