import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum CatalogExceptionCode {
  NotFound = 'CATALOG_ITEM_NOT_FOUND',
  AlreadyExists = 'CATALOG_KEY_TAKEN',
  KeyMismatch = 'CATALOG_KEY_MISMATCH',
  InUse = 'CATALOG_ITEM_IN_USE',
  UnknownReference = 'CATALOG_UNKNOWN_REFERENCE',
}

export const CatalogException = codedException<CatalogExceptionCode>('CatalogException', {
  [CatalogExceptionCode.NotFound]: 'not-found',
  [CatalogExceptionCode.AlreadyExists]: 'conflict',
  [CatalogExceptionCode.KeyMismatch]: 'validation',
  [CatalogExceptionCode.InUse]: 'conflict',
  [CatalogExceptionCode.UnknownReference]: 'validation',
} satisfies Record<CatalogExceptionCode, ErrorKind>);
