import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import type { ErrorDetail } from '../errors/app.exception';

export const PASSWORD_MIN_LENGTH = 12;
/** zxcvbn's score (0–4) a password must reach: 3 = "safely unguessable: moderate protection from offline slow-hash attacks". */
export const PASSWORD_MIN_SCORE = 3;

/** Codes the console translates (tw.auth.errors.<code>). */
export type PasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_CONTAINS_USERNAME' | 'PASSWORD_TOO_WEAK';

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries (common passwords, English words, names) take a few MB. */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * Why a password may not be used (empty when it may): at least 12 characters, not containing the
 * username (any case), and hard enough to guess by zxcvbn's estimate (which also knows the username).
 */
export function passwordProblems(password: string, username: string | undefined, path = 'password'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    problems.push({ path, code: 'PASSWORD_TOO_SHORT', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ path, code: 'PASSWORD_CONTAINS_USERNAME', message: 'must not contain the username' });
  }
  if (!problems.length) {
    const result = strength().check(password.slice(0, 200), username ? [username] : []);
    if (result.score < PASSWORD_MIN_SCORE) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0];
      problems.push({ path, code: 'PASSWORD_TOO_WEAK', message: `is too easy to guess${hint ? ` (${hint})` : ''}: use a longer phrase of unrelated words` });
    }
  }
  return problems;
}
