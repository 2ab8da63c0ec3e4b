import { PassThrough, Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { CommonException, CommonExceptionCode } from '../errors/app.exception';
import { formulaSafe } from './formula-safe';

/**
 * The one writer for every CSV and XLSX file the product hands out (audit export, simulation
 * results, period reports, console downloads). Rows are streamed: nothing is held whole in memory.
 *
 * - Text is formula-safe (see formula-safe.ts) in both formats.
 * - CSV: UTF-8 with a BOM (so Excel reads Chinese text), `,` separated, `\n` line ends, quoted
 *   where needed (csv-stringify); booleans as `true`/`false`, dates as ISO 8601, null as empty.
 * - XLSX: numbers stay numbers, booleans booleans, dates real date cells; one sheet, header in bold.
 *
 * Objects are not cells: a caller that exports JSON (an audit diff) passes `JSON.stringify(value)`.
 */
export type Cell = string | number | boolean | Date | null | undefined;
export type Rows = Iterable<readonly Cell[]> | AsyncIterable<readonly Cell[]>;

export interface Table {
  /** Column titles, in order; every row has one cell per title. */
  header: readonly string[];
  rows: Rows;
  /** XLSX sheet name (at most 31 characters; default "Sheet1"). */
  sheetName?: string;
}

export type ExportFormat = 'csv' | 'xlsx';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function csvText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'string') return formulaSafe(cell);
  return String(cell);
}

/** Rows per piece of CSV text: one write per line made the writes and the stream machinery cost more than the text (1M lines: 8 CPU-s). */
const CSV_BATCH_ROWS = 2000;
/** What makes csv-stringify quote a cell (its defaults: `,` `"` and line breaks); a line of cells without any is the cells joined by commas. */
const QUOTED = /[",\r\n]/;

/** One CSV line: csv-stringify's whenever a cell needs quoting, else the plain join it would give (3× faster than asking it). */
function csvLine(cells: string[]): string {
  for (const c of cells) if (QUOTED.test(c)) return stringify([cells]);
  return cells.join(',') + '\n';
}

/** CSV, streamed: BOM, header line, one line per row (written in pieces of CSV_BATCH_ROWS lines). */
export function csvStream(table: Table): Readable {
  async function* text() {
    yield '\uFEFF' + csvLine(table.header.map((h) => formulaSafe(h)));
    let piece = '';
    let n = 0;
    for await (const row of table.rows) {
      piece += csvLine(row.map(csvText));
      if (++n === CSV_BATCH_ROWS) {
        yield piece;
        piece = '';
        n = 0;
      }
    }
    if (piece) yield piece;
  }
  return Readable.from(text(), { objectMode: false });
}

function xlsxValue(cell: Cell): ExcelJS.CellValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') return formulaSafe(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : String(cell);
  return cell;
}

/** XLSX, streamed (exceljs' streaming writer), waiting for the reader whenever its buffer is full. */
export function xlsxStream(table: Table): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet((table.sheetName ?? 'Sheet1').slice(0, 31));
  const write = async () => {
    const head = sheet.addRow(table.header.map((h) => formulaSafe(h)));
    head.font = { bold: true };
    head.commit();
    for await (const row of table.rows) {
      sheet.addRow(row.map(xlsxValue)).commit();
      if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}

/** `?format=csv|xlsx` (default csv); anything else is a 400 naming the parameter. */
export function parseExportFormat(value: unknown, fallback: ExportFormat = 'csv'): ExportFormat {
  if (value === undefined || value === '') return fallback;
  if (value === 'csv' || value === 'xlsx') return value;
  throw new CommonException(CommonExceptionCode.InvalidQuery, 'format must be csv or xlsx', [{ path: 'format', message: 'must be csv or xlsx' }]);
}

/** A download for a controller to return: `fileName` without extension (ASCII letters, digits, `-`, `_`, `.`). */
export function exportFile(table: Table, format: ExportFormat, fileName: string): StreamableFile {
  const safeName = fileName.replace(/[^A-Za-z0-9_.-]/g, '_');
  const stream = format === 'xlsx' ? xlsxStream(table) : csvStream(table);
  return new StreamableFile(stream, { type: CONTENT_TYPES[format], disposition: `attachment; filename="${safeName}.${format}"` });
}
