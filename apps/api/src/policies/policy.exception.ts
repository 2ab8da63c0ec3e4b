import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum PolicyExceptionCode {
  PolicyNotFound = 'POLICY_NOT_FOUND',
  VersionNotFound = 'VERSION_NOT_FOUND',
  TestCaseNotFound = 'TEST_CASE_NOT_FOUND',
  KeyTaken = 'POLICY_KEY_TAKEN',
  InvalidDefinition = 'INVALID_DEFINITION',
  TestCasesFailed = 'TEST_CASES_FAILED',
  Immutable = 'VERSION_IMMUTABLE',
  WrongStatus = 'VERSION_WRONG_STATUS',
  StaleRevision = 'STALE_REVISION',
  RevisionRequired = 'REVISION_REQUIRED',
  FourEyes = 'FOUR_EYES',
  EffectiveFromInvalid = 'EFFECTIVE_FROM_INVALID',
  EffectiveFromTaken = 'EFFECTIVE_FROM_TAKEN',
  DifferentPolicies = 'DIFFERENT_POLICIES',
  NoVersionInEffect = 'NO_VERSION_IN_EFFECT',
  InvalidFacts = 'INVALID_FACTS',
}

export const PolicyException = codedException<PolicyExceptionCode>('PolicyException', {
  [PolicyExceptionCode.PolicyNotFound]: 'not-found',
  [PolicyExceptionCode.VersionNotFound]: 'not-found',
  [PolicyExceptionCode.TestCaseNotFound]: 'not-found',
  [PolicyExceptionCode.KeyTaken]: 'conflict',
  [PolicyExceptionCode.InvalidDefinition]: 'validation',
  [PolicyExceptionCode.TestCasesFailed]: 'validation',
  [PolicyExceptionCode.Immutable]: 'conflict',
  [PolicyExceptionCode.WrongStatus]: 'conflict',
  [PolicyExceptionCode.StaleRevision]: 'conflict',
  [PolicyExceptionCode.RevisionRequired]: 'precondition-failed',
  [PolicyExceptionCode.FourEyes]: 'forbidden',
  [PolicyExceptionCode.EffectiveFromInvalid]: 'validation',
  [PolicyExceptionCode.EffectiveFromTaken]: 'conflict',
  [PolicyExceptionCode.DifferentPolicies]: 'validation',
  [PolicyExceptionCode.NoVersionInEffect]: 'not-found',
  [PolicyExceptionCode.InvalidFacts]: 'validation',
} satisfies Record<PolicyExceptionCode, ErrorKind>);
