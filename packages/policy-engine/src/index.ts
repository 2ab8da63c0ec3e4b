export * from './types';
export {
  policyDefinitionSchema,
  policyDefinitionJsonSchema,
  factDefinitionSchema,
  benefitSchema,
  benefitPackageSchema,
  conditionSchema,
  topLevelConditionSchema,
  allConditionSchema,
  anyConditionSchema,
  notConditionSchema,
  leafConditionSchema,
  conditionReferenceSchema,
  scorecardSchema,
  tierDefinitionSchema,
  ruleNoteSchema,
  bilingualTextSchema,
  keySchema,
  expressionSchema,
  computedFactSchema,
  stepComponentSchema,
  stepBandSchema,
} from './schema';
export { validatePolicy, DEFAULT_VALIDATION_LIMITS } from './validate';
export { lintLadder } from './lint';
export {
  walkCondition,
  foldCondition,
  conditionKind,
  conditionKindKeys,
  conditionChildren,
  isLeaf,
  isGroup,
  isNot,
  isReference,
  isFactReference,
  leafFacts,
  factsInCondition,
  referencesInCondition,
  Site,
  CONDITION_KIND_KEYS,
  type ConditionKind,
  type ConditionVisitor,
  type ConditionFold,
  type FoldOptions,
  type WalkOptions,
  type NamedConditions,
  type PathSegment,
  type Thunk,
  walkExpression,
  foldExpression,
  expressionKind,
  expressionOperands,
  expressionFacts,
  EXPRESSION_OPERATORS,
  type ExpressionKind,
  type ExpressionVisitor,
  type ExpressionFold,
} from './walk';
export { evaluateExpression, computeAll, expressionText, expressionSymbol, combineUnits, type Unit as ExpressionUnit } from './expressions';
export {
  walkDefinition,
  walkDefinitionConditions,
  conditionRoots,
  factsInDefinition,
  inputFactsOf,
  computedInputs,
  thresholdsByFact,
  type ConditionRole,
  type ConditionRoot,
  type RootOwner,
  type ScoreFactRead,
  type ComputedFactRead,
  type DefinitionVisitor,
} from './definition-walk';
export { definitionUses, type Uses, type DefinitionUses } from './dependencies';
export {
  diffPolicies,
  diffConditions,
  jsonEqual,
  type PolicyDiff,
  type TierDiff,
  type LeafDiff,
  type DefinitionChange,
  type ChangeAspect,
  type Change as DiffChangeKind,
  type LocalizedText,
  type DiffOptions,
} from './diff';
export { conditionText } from './phrases';
export { rolloutText, segmentText, type RolloutStepInput } from './rollout';
export { createEvaluator } from './evaluator';
export { compileFast } from './compile';
export { tierOutcome } from './result';
export { compileTraced, createServingEvaluator, type TracedEvaluator } from './compile-traced';
export { compileTraceJson, type TraceJsonEvaluator, type TraceJsonResult } from './compile-trace-json';
export { jsonNumber, jsonString, jsonValue } from './json-text';
export { explain } from './explain';
export {
  lifecycleRules,
  decideLifecycle,
  lifecycleStepper,
  lifecycleText,
  lifecycleTexts,
  lifecycleTierLabel,
  type LifecycleRules,
  type LifecycleReason,
  type LifecycleOutcome,
  type LifecycleDecision,
  type LifecycleTierName,
  type LifecycleTextInput,
} from './lifecycle-rules';
export { aggregateHouseholds, HOUSEHOLD_AGGREGATES, type HouseholdAggregate } from './household';
export { createProjector, projectionText, type Projection, type ProjectionOption, type Projector } from './projection';
export { EvaluationError, InvalidPolicyError, type EvaluationErrorCode } from './errors';
export { operatorRegistry, populationOperators, getOperator, operatorsForFactType, type OperatorSpec, type OperatorContext } from './operators';
export { KEY_PATTERN } from './keys';
export { roundScore, isStepComponent, stepBandIndex, inBand } from './scoring';
export { Random, randomStream } from './random';
export {
  checkPolicyFile,
  canonicalPolicyFile,
  POLICY_FILE_FORMAT,
  POLICY_FILE_LIMITS,
  type PolicyFile,
  type PolicyFileCatalog,
  type PolicyFileCheck,
  type PolicyFileTestCase,
} from './policy-file';
export {
  POPULATION_OPERATORS,
  isPopulationOperator,
  isPopulationLeaf,
  populationKey,
  populationSpecs,
  hasPopulationConditions,
  bindPopulation,
  computeCutoffs,
  createPopulationCollector,
  cutoffsFromColumns,
  cutOfSorted,
  populationScope,
  eligibilityDefinition,
  cutoffsOfExamples,
  rankCount,
  cutResolver,
  type PopulationOperator,
  type PopulationParams,
  type PopulationSpec,
  type PopulationCut,
  type PopulationGroupCut,
  type PopulationCutoffs,
  type PopulationColumns,
  type PopulationCollector,
  type ResolvedCut,
} from './population';
