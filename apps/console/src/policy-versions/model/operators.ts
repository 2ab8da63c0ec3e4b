/** The engine's operator registry (pure data), imported by path so the rest of the engine stays out of the bundle. */
export { getOperator, operatorsForFactType, typeFamily, type OperatorSpec } from '@tierwise/policy-engine/dist/operators';
