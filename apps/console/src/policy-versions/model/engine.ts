/**
 * The policy engine's validation, walker and analysis, run in the browser by the rule builder (lazy
 * chunk). Imported by path so json-rules-engine and zod stay out of the bundle.
 */
export { validatePolicy } from '@tierwise/policy-engine/dist/validate';
export { factsInDefinition, walkDefinitionConditions } from '@tierwise/policy-engine/dist/definition-walk';
export { conditionChildren, conditionKind, isFactReference, isGroup, isLeaf, isNot, isReference, walkCondition, Site } from '@tierwise/policy-engine/dist/walk';
