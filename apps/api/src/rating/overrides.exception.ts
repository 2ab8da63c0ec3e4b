import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum OverrideExceptionCode {
  UnknownPolicy = 'OVERRIDE_UNKNOWN_POLICY',
  /** The customer was never rated under the policy: there is no official tier to override, nor one to return to. */
  UnknownCustomer = 'OVERRIDE_UNKNOWN_CUSTOMER',
  /** The tier is not a tier of the policy's version in effect. */
  UnknownTier = 'OVERRIDE_UNKNOWN_TIER',
  NoVersionInEffect = 'OVERRIDE_NO_VERSION_IN_EFFECT',
  ExpiryInPast = 'OVERRIDE_EXPIRY_IN_PAST',
  /** Another pending or active override of the same mode exists for the customer and policy. */
  Overlaps = 'OVERRIDE_OVERLAPS',
  /** A floor above a ceiling (or a ceiling below a floor) of the same customer and policy. */
  Contradicts = 'OVERRIDE_CONTRADICTS',
  NotFound = 'OVERRIDE_NOT_FOUND',
  /** Four-eyes: the requester cannot approve or reject their own override. */
  SamePerson = 'OVERRIDE_SAME_PERSON',
  /** Only the requester (or an admin) withdraws a pending override. */
  NotRequester = 'OVERRIDE_NOT_REQUESTER',
  WrongStatus = 'OVERRIDE_WRONG_STATUS',
  /** The expiry passed before the override was approved. */
  Expired = 'OVERRIDE_EXPIRED',
  /** The version in effect no longer has the override's tier. */
  TierGone = 'OVERRIDE_TIER_GONE',
}

export const OverrideException = codedException<OverrideExceptionCode>('OverrideException', {
  [OverrideExceptionCode.UnknownPolicy]: 'validation',
  [OverrideExceptionCode.UnknownCustomer]: 'not-found',
  [OverrideExceptionCode.UnknownTier]: 'validation',
  [OverrideExceptionCode.NoVersionInEffect]: 'validation',
  [OverrideExceptionCode.ExpiryInPast]: 'validation',
  [OverrideExceptionCode.Overlaps]: 'conflict',
  [OverrideExceptionCode.Contradicts]: 'conflict',
  [OverrideExceptionCode.NotFound]: 'not-found',
  [OverrideExceptionCode.SamePerson]: 'forbidden',
  [OverrideExceptionCode.NotRequester]: 'forbidden',
  [OverrideExceptionCode.WrongStatus]: 'conflict',
  [OverrideExceptionCode.Expired]: 'conflict',
  [OverrideExceptionCode.TierGone]: 'conflict',
} satisfies Record<OverrideExceptionCode, ErrorKind>);
