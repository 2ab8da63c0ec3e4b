import type { FactDefinition } from '@tierwise/policy-engine';
import type { ThreadAnswer } from '../jobs/chunk-handler';
import type { ChunkSink } from './chunk-copy';
import { CsvRecord, CsvSyntaxError, CsvTokenizer } from './csv-tokenizer';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';
import { BadRow, ImportOptions, ImportSession, PartChunk, PartRows } from './dataset-import';
import { partDecoder, TextEncoding } from './text-decoding';

/**
 * One part of a CSV import, read on a job thread (a ThreadCall of this module): bytes of the file
 * cut after a line feed outside any quoted field (csv-import.ts), so the part starts at a record
 * and at a character. Decoded, tokenized, coerced and built into chunks exactly as the import's own
 * session does it, in pieces of the size a request brings them; numbered from 1 within the part
 * (rows, lines), which the import renumbers in the file as it takes the parts in order.
 */
export interface CsvPartInput {
  catalog: FactDefinition[];
  options: ImportOptions;
  header: readonly string[];
  encoding: TextEncoding;
  bytes: Uint8Array;
  /** Where the part starts in the file (bytes), for the offset of a byte that does not decode. */
  offset: number;
  /** The file's last part: its end is the end of the file (an unclosed quote, a cut character). */
  last: boolean;
  /**
   * Where to write the part's chunks (shared with the import's thread: the buffer `bytes` is in, whose text is read
   * by then), or null: moved back as buffers of their own (also when they do not fit). Buffers moved to the import's
   * thread cost it a full garbage collection every few parts; the shared ones are allocated once per import.
   */
  out: SharedArrayBuffer | null;
}

/** Why a part stopped, numbered in the part; the import raises it as its own session would have. */
export type CsvPartFailure =
  | { kind: 'encoding'; offset: number }
  | { kind: 'truncated' }
  | { kind: 'syntax'; message: string; line: number }
  | { kind: 'nul'; row: number; line: number; column: string };

/** A chunk written into the part's `out` buffer: its bytes are out[at, at + length). */
export interface PackedChunk {
  rowStart: number;
  rowCount: number;
  at: number;
  length: number;
}

export type CsvPartResult = ({ ok: true; lines: number; packed?: PackedChunk[] } & PartRows) | { ok: false; failure: CsvPartFailure };

/** Bytes decoded at a time (what a request's stream brings at once). */
const PIECE = 64 * 1024;

export async function readCsvPart(input: CsvPartInput): Promise<CsvPartResult> {
  const chunks: PartChunk[] = [];
  const sink: ChunkSink = {
    write: ({ rowStart, rowCount, data }) => {
      chunks.push({ rowStart, rowCount, data });
      return Promise.resolve();
    },
  };
  const session = new ImportSession(input.catalog, input.options, sink, true);
  session.setHeader(input.header);
  const decoder = partDecoder(input.encoding);
  const tokenizer = new CsvTokenizer();
  const records: CsvRecord[] = [];
  let sawNul = false;
  const feed = async (text: string) => {
    records.length = 0;
    sawNul ||= text.includes('\u0000');
    tokenizer.push(text, records);
    if (records.length) await session.addRecords(records, sawNul);
  };
  const { bytes } = input;
  try {
    for (let at = 0; at < bytes.length; at += PIECE) {
      let text: string;
      try {
        text = decoder.write(bytes.subarray(at, Math.min(at + PIECE, bytes.length)));
      } catch {
        return { ok: false, failure: { kind: 'encoding', offset: input.offset + at } };
      }
      if (text) await feed(text);
    }
    if (input.last) {
      let tail: string;
      try {
        tail = decoder.end();
      } catch {
        return { ok: false, failure: { kind: 'truncated' } };
      }
      if (tail) await feed(tail);
      records.length = 0;
      tokenizer.end(records);
      if (records.length) await session.addRecords(records, sawNul);
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, failure: { kind: 'syntax', message: e.message, line: e.line } };
    if (e instanceof DatasetException && e.code === DatasetExceptionCode.NulCharacter) {
      const d = (e.details ?? [])[0] as BadRow;
      return { ok: false, failure: { kind: 'nul', row: d.row, line: d.line ?? 0, column: d.column ?? '' } };
    }
    throw e;
  }
  await session.flush();
  return { ok: true, lines: tokenizer.lines, ...session.partRows(chunks) };
}

/** The job thread's entry (ThreadCall `datasets/csv-part`): the chunks' buffers are moved back, not copied. */
export async function threadTask(input: unknown): Promise<ThreadAnswer> {
  const { out } = input as CsvPartInput;
  const value = await readCsvPart(input as CsvPartInput);
  if (!value.ok) return { value, transfer: [] };
  if (out && value.chunks.reduce((n, c) => n + c.data.byteLength, 0) <= out.byteLength) {
    const bytes = new Uint8Array(out);
    let at = 0;
    const packed = value.chunks.map(({ rowStart, rowCount, data }) => {
      bytes.set(data, at);
      at += data.byteLength;
      return { rowStart, rowCount, at: at - data.byteLength, length: data.byteLength };
    });
    return { value: { ...value, chunks: [], packed }, transfer: [] };
  }
  return { value, transfer: value.chunks.map((c) => c.data.buffer as ArrayBuffer) };
}

/**
 * JIT warm-up while a fresh job thread is idle (ThreadTaskModule): a synthetic part of 5,000 rows —
 * numbers, booleans, an enum, strings, ids, a few quoted fields — read twice. Measured on a thread
 * reading the bench's file in 8 MiB parts: ~80 CPU-ms here, ~100 CPU-ms less in its first two parts.
 */
export function threadWarmUp(): void {
  const catalog: FactDefinition[] = [
    { key: 'amount', label: 'amount', type: 'number' },
    { key: 'count', label: 'count', type: 'integer' },
    { key: 'flag', label: 'flag', type: 'boolean' },
    { key: 'band', label: 'band', type: 'enum', enumValues: ['A', 'B', 'C'] },
    { key: 'region', label: 'region', type: 'string' },
  ];
  const regions = ['惠城区', '惠阳区', '博罗县'];
  const lines: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    const region = i % 97 === 0 ? `"${regions[i % 3]}, ""x"""` : regions[i % 3];
    lines.push(`W${i},${(i * 7919) % 1_000_000}.${i % 100},${i % 13 === 0 ? '' : i % 50},${i % 3 === 0 ? 'true' : 'false'},${'ABC'[i % 3]},${region}`);
  }
  const bytes = Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
  const input: CsvPartInput = {
    catalog,
    options: { badRows: 'skip', unknownColumns: 'reject', chunkRows: 5_000 },
    header: ['customerId', 'amount', 'count', 'flag', 'band', 'region'],
    encoding: 'utf-8',
    bytes,
    offset: 0,
    last: true,
    out: null,
  };
  void readCsvPart(input)
    .then(() => readCsvPart(input))
    .catch(() => undefined);
}
