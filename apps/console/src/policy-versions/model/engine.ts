/**
 * The policy engine's validation and analysis, run in the browser by the rule builder (lazy
 * chunk). Imported by path so json-rules-engine and zod stay out of the bundle.
 */
export { validatePolicy } from '@tierwise/policy-engine/dist/validate';
export { factsInDefinition } from '@tierwise/policy-engine/dist/analysis';
