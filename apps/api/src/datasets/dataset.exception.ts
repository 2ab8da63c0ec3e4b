import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum DatasetExceptionCode {
  DatasetNotFound = 'DATASET_NOT_FOUND',
  /** The request is not multipart/form-data or JSON. */
  UnsupportedUpload = 'DATASET_UNSUPPORTED_UPLOAD',
  /** No `file` part, several files, or a malformed multipart body. */
  MalformedUpload = 'DATASET_MALFORMED_UPLOAD',
  TooLarge = 'DATASET_TOO_LARGE',
  /** The bytes are not text in the declared (or detected) encoding. */
  BadEncoding = 'DATASET_BAD_ENCODING',
  /** CSV syntax broken beyond one row (an unclosed quote, a quote inside an unquoted field). */
  MalformedCsv = 'DATASET_MALFORMED_CSV',
  /** Header problems: unknown, duplicate or empty column names, no header. */
  BadColumns = 'DATASET_BAD_COLUMNS',
  /** Rows whose values do not fit their facts, with badRows=reject (the default): nothing imported. */
  BadRows = 'DATASET_BAD_ROWS',
  /** No data rows at all (or none left after skipping bad ones). */
  Empty = 'DATASET_EMPTY',
  BadParameter = 'DATASET_BAD_PARAMETER',
  UnknownTemplate = 'DATASET_UNKNOWN_TEMPLATE',
  /** The fact catalog lacks a fact the synthetic template needs (or has it with another type). */
  CatalogMismatch = 'DATASET_CATALOG_MISMATCH',
  /** A NUL character (U+0000) in a cell or a header: refused whatever badRows says. */
  NulCharacter = 'DATASET_NUL_CHARACTER',
  /** The snapshot names a policy (`policy`) that does not exist. */
  UnknownPolicy = 'DATASET_UNKNOWN_POLICY',
  /** A synthetic dataset for a policy version (`versionId`) that does not exist. */
  UnknownVersion = 'DATASET_UNKNOWN_VERSION',
  /** Deleting a dataset a queued or running simulation (or another record) still uses. */
  InUse = 'DATASET_IN_USE',
}

export const DatasetException = codedException<DatasetExceptionCode>('DatasetException', {
  [DatasetExceptionCode.DatasetNotFound]: 'not-found',
  [DatasetExceptionCode.UnsupportedUpload]: 'unsupported-media-type',
  [DatasetExceptionCode.MalformedUpload]: 'bad-request',
  [DatasetExceptionCode.TooLarge]: 'payload-too-large',
  [DatasetExceptionCode.BadEncoding]: 'bad-request',
  [DatasetExceptionCode.MalformedCsv]: 'bad-request',
  [DatasetExceptionCode.BadColumns]: 'validation',
  [DatasetExceptionCode.BadRows]: 'validation',
  [DatasetExceptionCode.Empty]: 'validation',
  [DatasetExceptionCode.BadParameter]: 'validation',
  [DatasetExceptionCode.UnknownTemplate]: 'validation',
  [DatasetExceptionCode.CatalogMismatch]: 'validation',
  [DatasetExceptionCode.NulCharacter]: 'validation',
  [DatasetExceptionCode.InUse]: 'conflict',
  [DatasetExceptionCode.UnknownPolicy]: 'validation',
  [DatasetExceptionCode.UnknownVersion]: 'validation',
} satisfies Record<DatasetExceptionCode, ErrorKind>);
