import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum PolicyFileExceptionCode {
  /** The file is not a valid policy file: every problem with its path in the file. */
  Invalid = 'POLICY_FILE_INVALID',
  /** The upload is not JSON, or has no `file` part. */
  Unreadable = 'POLICY_FILE_UNREADABLE',
  TooLarge = 'POLICY_FILE_TOO_LARGE',
  /** A catalog item of the file exists with another meaning (type, unit, values, cost, benefits). */
  CatalogConflict = 'POLICY_FILE_CATALOG_CONFLICT',
  /** A test case of the file has the name of an existing one of the policy, with other facts or another expected tier. */
  TestCaseConflict = 'POLICY_FILE_TEST_CASE_CONFLICT',
}

export const PolicyFileException = codedException<PolicyFileExceptionCode>('PolicyFileException', {
  [PolicyFileExceptionCode.Invalid]: 'validation',
  [PolicyFileExceptionCode.Unreadable]: 'validation',
  [PolicyFileExceptionCode.TooLarge]: 'payload-too-large',
  [PolicyFileExceptionCode.CatalogConflict]: 'conflict',
  [PolicyFileExceptionCode.TestCaseConflict]: 'conflict',
} satisfies Record<PolicyFileExceptionCode, ErrorKind>);
