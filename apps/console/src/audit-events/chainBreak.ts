import type { TranslateFunction } from 'react-admin';
import type { ChainVerification } from '../dataProvider/types';

/** Why the chain broke, in the user's language (the API's English reason when the code is unknown). */
export const chainBreakReason = (translate: TranslateFunction, brokenAt: ChainVerification['brokenAt']): string =>
  brokenAt ? translate(`tw.audit.breaks.${brokenAt.code ?? 'UNKNOWN'}`, { _: brokenAt.reason }) : '';
