import type { FactDefinition } from '@tierwise/policy-engine';
import type { ErrorDetail } from '../common/errors/app.exception';
import { ChunkBuilder } from './chunk-codec';
import type { ChunkSink } from './chunk-copy';
import { coerceJson, Problem, textCoercion } from './coercion';
import { ColumnPlan, DatasetColumn, MappingOptions, resolveColumns } from './column-mapping';
import type { CsvRecord } from './csv-tokenizer';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';

/**
 * Bad rows: `reject` (the default) refuses the whole file when any row is bad — nothing is stored
 * and the 422 lists them; `skip` imports the valid rows and the dataset records how many rows were
 * left out and why (also in the response), so a partial import is never silent.
 */
export type BadRowPolicy = 'reject' | 'skip';

export interface ImportOptions extends MappingOptions {
  badRows: BadRowPolicy;
  chunkRows: number;
}

/** One bad cell (or a row of the wrong width: `column` null). `row` counts data rows from 1; `line` is the file line. */
export interface BadRow extends ErrorDetail {
  row: number;
  line?: number;
  column: string | null;
  reason: string;
}

export const MAX_REPORTED_PROBLEMS = 100;

export interface ImportSummary {
  rowCount: number;
  chunkCount: number;
  rowsRead: number;
  skippedRows: number;
  problems: BadRow[];
  columns: DatasetColumn[];
  idColumn: string | null;
  ignoredColumns: string[];
}

/** A NUL character (U+0000) cannot be stored in PostgreSQL text: refused at upload, where it is, before anything is stored. */
export function nulRefused(path: string, where: string, extra: Partial<BadRow> = {}) {
  return new DatasetException(
    DatasetExceptionCode.NulCharacter,
    `The data holds a NUL character (U+0000) at ${where}; nothing was imported. NUL bytes usually mean a UTF-16 or binary file: save it as CSV UTF-8.`,
    [{ path, message: 'contains a NUL (U+0000) character', ...extra }],
  );
}

/** A NUL in a data row: the 400 of `nulRefused`, naming the row, its column and line. */
export function rowNulRefused(row: number, line: number, column: string) {
  return nulRefused(`rows[${row}].${column}`, `row ${row}, column ${column} (line ${line})`, {
    row,
    line,
    column,
    reason: 'contains a NUL (U+0000) character',
  });
}

/**
 * A bad row of a CSV file as found (`got`: the cell's first 40 characters as JSON), numbered in its
 * part of the file when a job thread read that part: the import numbers it in the file.
 */
export interface CsvProblem {
  row: number;
  line: number;
  column: string | null;
  reason: string;
  got?: string;
}

export function csvBadRow({ row, line, column, reason, got }: CsvProblem): BadRow {
  if (column === null) return { path: `rows[${row}]`, message: `row ${row}: ${reason}`, row, line, column, reason };
  return { path: `rows[${row}].${column}`, message: `row ${row}, ${column}: ${reason} (got ${got})`, row, line, column, reason };
}

/** A stored chunk of a part, its rows counted from the part's first kept row. */
export interface PartChunk {
  rowStart: number;
  rowCount: number;
  data: Uint8Array;
}

/** What a part of a CSV file (read on a job thread, csv-part.ts) adds to its import, numbered in the part. */
export interface PartRows {
  rowsRead: number;
  rowsKept: number;
  badRows: number;
  /** Its first MAX_REPORTED_PROBLEMS. */
  problems: CsvProblem[];
  chunks: PartChunk[];
}

/**
 * Rows in, coerced and checked, written as chunks; one per import. A part of a CSV file read on a
 * job thread has a session of its own (`part`: its problems kept as found, to be numbered in the
 * file), which the import's session then takes in with `addPart`, in the file's order.
 */
export class ImportSession {
  private plan: ColumnPlan | null = null;
  private headers: readonly string[] = [];
  private facts: FactDefinition[] = [];
  /** Per mapped column, its fact's coercion of a cell (chosen once per import). */
  private coercions: ((raw: string) => unknown)[] = [];
  private builder: ChunkBuilder | null = null;
  private values: unknown[] = [];
  private width = 0;
  private rowsRead = 0;
  private rowsKept = 0;
  private chunkNo = 0;
  private badRowCount = 0;
  private readonly problems: BadRow[] = [];
  private readonly partProblems: CsvProblem[] = [];

  constructor(
    private readonly catalog: FactDefinition[],
    private readonly options: ImportOptions,
    private readonly sink: ChunkSink,
    private readonly part = false,
  ) {}

  /** Data rows read so far. */
  get rowsSoFar(): number {
    return this.rowsRead;
  }

  /** The header's fields, once set (null before). */
  get header(): readonly string[] | null {
    return this.plan ? this.headers : null;
  }

  get columns(): DatasetColumn[] {
    return (this.plan?.columns ?? []).map(({ name, fact, type }) => ({ name, fact, type }));
  }

  setHeader(headers: readonly string[]): void {
    const nul = headers.findIndex((h) => h.includes('\u0000'));
    if (nul !== -1) throw nulRefused(`columns[${nul}]`, `column ${nul + 1} of the header line`, { row: 0, column: null });
    this.headers = headers;
    this.plan = resolveColumns(headers, this.catalog, this.options);
    this.width = headers.length;
    const byKey = new Map(this.catalog.map((f) => [f.key, f]));
    this.facts = this.plan.columns.map((c) => byKey.get(c.fact) as FactDefinition);
    this.coercions = this.facts.map(textCoercion);
    this.builder = new ChunkBuilder(
      this.plan.columns.map((c) => ({ key: c.fact, type: c.type })),
      this.options.chunkRows,
      this.plan.idIndex !== -1,
    );
    this.values = new Array<unknown>(this.plan.columns.length);
  }

  private problem(p: BadRow): void {
    if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push(p);
  }

  private csvProblem(p: CsvProblem): void {
    if (!this.part) this.problem(csvBadRow(p));
    else if (this.partProblems.length < MAX_REPORTED_PROBLEMS) this.partProblems.push(p);
  }

  /** After a bad row under `reject`, rows are still checked (to report them) but no longer stored. */
  private get storing(): boolean {
    return this.options.badRows === 'skip' || this.badRowCount === 0;
  }

  /** The row in `values` added to the chunk; true when the chunk is now full (to flush: an await per row cost more than the row). */
  private keep(id: string | null): boolean {
    const builder = this.builder as ChunkBuilder;
    builder.append(id, this.values);
    this.rowsKept++;
    return builder.full;
  }

  /** Write the rows collected so far as a chunk (also one not full: the rows after it come from elsewhere). */
  async flush(): Promise<void> {
    const builder = this.builder as ChunkBuilder;
    if (builder.rows === 0) return;
    const rowCount = builder.rows;
    const data = builder.encode();
    builder.reset();
    if (!this.storing) return;
    await this.sink.write({ chunkNo: this.chunkNo, rowStart: this.rowsKept - rowCount, rowCount, data });
    this.chunkNo++;
  }

  /** CSV records after the header. `mayHoldNul`: the text they came from had a NUL somewhere (only then are fields scanned for one). */
  async addRecords(records: readonly CsvRecord[], mayHoldNul = true): Promise<void> {
    const plan = this.plan as ColumnPlan;
    const width = this.width;
    const { columns, idIndex } = plan;
    const coercions = this.coercions;
    const values = this.values;
    for (const { fields, line } of records) {
      const row = ++this.rowsRead;
      for (let i = 0; mayHoldNul && i < fields.length; i++) {
        if (!fields[i].includes('\u0000')) continue;
        throw rowNulRefused(row, line, this.headers[i] ?? `column ${i + 1}`);
      }
      if (fields.length !== width && !(fields.length > width && fields.slice(width).every((x) => x.trim() === ''))) {
        this.badRowCount++;
        this.csvProblem({ row, line, column: null, reason: `has ${fields.length} values; the header has ${width} columns` });
        continue;
      }
      let bad = false;
      for (let c = 0; c < columns.length; c++) {
        const v = coercions[c](fields[columns[c].index]);
        if (v instanceof Problem) {
          bad = true;
          this.csvProblem({ row, line, column: columns[c].name, reason: v.reason, got: JSON.stringify(fields[columns[c].index].slice(0, 40)) });
        }
        values[c] = v;
      }
      if (bad) {
        this.badRowCount++;
        continue;
      }
      if (!this.storing) continue;
      const id = idIndex === -1 ? null : fields[idIndex].trim() || null;
      if (this.keep(id)) await this.flush();
    }
  }

  /** A part's rows (`partRows` of its session), taken in after the rows before it; `lineBase`: the file's lines before the part. */
  async addPart(part: PartRows, lineBase: number): Promise<void> {
    const rowBase = this.rowsRead;
    for (const p of part.problems) this.problem(csvBadRow({ ...p, row: p.row + rowBase, line: p.line + lineBase }));
    this.rowsRead += part.rowsRead;
    const storing = this.storing;
    this.badRowCount += part.badRows;
    if (!storing) return;
    for (const c of part.chunks) {
      await this.sink.write({
        chunkNo: this.chunkNo,
        rowStart: this.rowsKept + c.rowStart,
        rowCount: c.rowCount,
        data: Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength),
      });
      this.chunkNo++;
    }
    this.rowsKept += part.rowsKept;
  }

  /** A part's session: what its rows add to the import (its chunks are what it wrote to its sink). */
  partRows(chunks: PartChunk[]): PartRows {
    return { rowsRead: this.rowsRead, rowsKept: this.rowsKept, badRows: this.badRowCount, problems: this.partProblems, chunks };
  }

  /** JSON rows (objects keyed by column name); the header is the union of their keys in first-seen order. */
  async addObjects(rows: readonly Record<string, unknown>[]): Promise<void> {
    const headers: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r)) {
        if (seen.has(k)) continue;
        seen.add(k);
        headers.push(k);
      }
    }
    this.setHeader(headers);
    const plan = this.plan as ColumnPlan;
    const idHeader = plan.idColumn;
    for (const r of rows) {
      const row = ++this.rowsRead;
      let bad = false;
      for (let c = 0; c < plan.columns.length; c++) {
        const name = plan.columns[c].name;
        const raw = Object.prototype.hasOwnProperty.call(r, name) ? r[name] : null;
        const v = coerceJson(this.facts[c], raw);
        if (v instanceof Problem) {
          bad = true;
          this.problem({ path: `rows[${row - 1}].${name}`, message: `row ${row}, ${name}: ${v.reason}`, row, column: name, reason: v.reason });
        }
        this.values[c] = v;
      }
      if (bad) {
        this.badRowCount++;
        continue;
      }
      if (!this.storing) continue;
      const rawId = idHeader === null ? null : r[idHeader];
      if (this.keep(rawId === null || rawId === undefined || rawId === '' ? null : String(rawId))) await this.flush();
    }
  }

  /** Flush the last chunk and apply the bad-row policy. Throws (422) when nothing may be stored. */
  async finish(): Promise<ImportSummary> {
    if (!this.plan) throw new DatasetException(DatasetExceptionCode.BadColumns, 'The file has no header row', [{ path: 'columns', message: 'no header row' }]);
    await this.flush();
    if (this.badRowCount > 0 && this.options.badRows === 'reject') {
      throw new DatasetException(
        DatasetExceptionCode.BadRows,
        `${this.badRowCount} of ${this.rowsRead} rows are not valid, so nothing was imported (badRows=reject). Fix them, or send badRows=skip to import the ${this.rowsRead - this.badRowCount} valid rows.` +
          (this.badRowCount > this.problems.length ? ` The first ${this.problems.length} problems are listed.` : ''),
        this.problems,
      );
    }
    if (this.rowsKept === 0) {
      throw new DatasetException(
        DatasetExceptionCode.Empty,
        this.rowsRead === 0 ? 'The file has a header but no data rows' : `None of the ${this.rowsRead} rows is valid`,
        this.problems.length ? this.problems : [{ path: 'rows', message: 'no rows' }],
      );
    }
    return {
      rowCount: this.rowsKept,
      chunkCount: this.chunkNo,
      rowsRead: this.rowsRead,
      skippedRows: this.badRowCount,
      problems: this.problems,
      columns: this.columns,
      idColumn: (this.plan as ColumnPlan).idColumn,
      ignoredColumns: (this.plan as ColumnPlan).ignored,
    };
  }
}
