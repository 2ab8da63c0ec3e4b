export { formulaSafe } from './formula-safe';
export { csvStream, exportFile, parseExportFormat, xlsxStream } from './table-export';
export type { Cell, ExportFormat, Rows, Table } from './table-export';
