import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum EntitlementExceptionCode {
  UnknownBenefit = 'ENTITLEMENT_UNKNOWN_BENEFIT',
  NoCustomer = 'ENTITLEMENT_NO_CUSTOMER',
}

export const EntitlementException = codedException<EntitlementExceptionCode>('EntitlementException', {
  [EntitlementExceptionCode.UnknownBenefit]: 'validation',
  [EntitlementExceptionCode.NoCustomer]: 'validation',
} satisfies Record<EntitlementExceptionCode, ErrorKind>);
