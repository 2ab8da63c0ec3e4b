import type { FactDefinition } from '@tierwise/policy-engine';
import type { ThreadTasks } from '../jobs/executors';
import type { CsvPartFailure, CsvPartInput, CsvPartResult } from './csv-part';
import { CsvRecord, CsvSyntaxError, CsvTokenizer } from './csv-tokenizer';
import { ImportOptions, ImportSession, rowNulRefused } from './dataset-import';
import { badEncoding, cutsAtLineFeeds, StreamDecoder, TextEncoding, truncatedText } from './text-decoding';

/**
 * The CSV import of an uploaded byte stream into an ImportSession.
 *
 * The file's first `partBytes / 2` bytes (and at least its header and the 64 KiB its encoding is
 * detected from) are read here, on the request's thread: decoded, tokenized, coerced, chunked. A
 * file no longer than that is read here alone, as it always was. The rest, when the process has
 * job threads (not with REDIS_URL) and the encoding cuts at line feeds (UTF-8, GBK/GB18030; not
 * UTF-16), is cut into parts of about `partBytes` that the job threads read at the same time
 * (csv-part.ts), while this thread only receives the bytes, cuts them, and writes the parts'
 * chunks to the COPY in the file's order.
 *
 * A part is cut only after a line feed outside every quoted field, so it starts at a record and at
 * a character: outside quotes the count of `"` read since the last cut is even (an opening and a
 * closing quote, `""` inside), inside it is odd. That count is exact up to the file's first syntax
 * error, which is in a part that starts right and stops the import there, whatever the parts after
 * it hold. A part's rows and lines are numbered in the part; the session renumbers its bad rows,
 * and a failure (a byte that does not decode, a syntax error, a NUL) is raised numbered in the file,
 * as it is when this thread reads the whole file. Each part ends its last chunk early (a part's
 * rows after its last full chunk are a chunk of their own), so a file read in parts has a few more
 * chunks than rows / DATASET_CHUNK_ROWS; every chunk still holds its true rowStart.
 */
export interface CsvImportSettings {
  requested: TextEncoding | 'auto';
  onEncoding(encoding: TextEncoding): void;
  catalog: FactDefinition[];
  options: ImportOptions;
  /** The job threads, or null (BullMQ: none in this process) to read the whole file here. */
  threads: ThreadTasks | null;
  partBytes: number;
  /** Told of the bytes the parts' shared buffers take (+) and give back (−): the metric of what imports hold. */
  buffers?: { add(bytes: number): void };
  /** Called once the bytes have ended, before the end of the text is read (the upload limit's check). */
  atEnd(): void;
}

/**
 * What the parts of one import may hold at once: `2 × threads` parts (each thread reads one while the next waits for
 * it), in shared buffers of `partBytes` plus a little room (a part is cut at the first line feed after `partBytes`),
 * so at most `2 × threads × (partBytes + room)` bytes — 4 × 8.25 MiB with two threads. A part's chunks are written
 * back into its own buffer (its text is read by then); a file whose chunks take more bytes than its text (many short
 * numbers) gets larger buffers from then on (1.1 × the largest part's chunks), and so fewer parts in flight — but
 * always one per thread: at most max(bytes, threads × such a buffer).
 */
export function partBudget(partBytes: number, threads: number): { parts: number; threads: number; bytes: number; bufferBytes: number } {
  const t = Math.max(1, threads);
  const parts = 2 * t;
  const bufferBytes = partBytes + Math.min(256 * 1024, Math.max(1, Math.floor(partBytes / 4)));
  return { parts, threads: t, bytes: parts * bufferBytes, bufferBytes };
}

const LF = 10;
const QUOTE = 34;
export const CSV_PART_MODULE = 'datasets/csv-part';

export async function importCsv(source: AsyncIterable<Buffer>, session: ImportSession, settings: CsvImportSettings): Promise<void> {
  const decoder = new StreamDecoder(settings.requested, settings.onEncoding);
  const tokenizer = new CsvTokenizer();
  const records: CsvRecord[] = [];
  let sawNul = false; // sticky: a record may start in one piece of text and end in a later one
  const feedRecords = async () => {
    let from = 0;
    if (!session.header && records.length) {
      session.setHeader(records[0].fields);
      from = 1;
    }
    if (records.length > from) await session.addRecords(from ? records.slice(from) : records, sawNul);
  };
  const feed = async (text: string) => {
    records.length = 0;
    sawNul ||= text.includes('\u0000');
    tokenizer.push(text, records);
    await feedRecords();
  };
  const head = Math.floor(settings.partBytes / 2);
  let read = 0;
  let parts: CsvParts | null = null;
  const mayCut = () => settings.threads !== null && read >= head && decoder.encoding !== null && cutsAtLineFeeds(decoder.encoding) && session.header !== null;
  // while the head is read, at most this much at a time (so the parts start right after it, whatever a piece brings)
  const step = Math.max(1, Math.floor(settings.partBytes / 4));
  try {
    for await (const chunk of source) {
      let from = 0;
      while (from < chunk.length) {
        if (parts) {
          await parts.push(from ? chunk.subarray(from) : chunk);
          break;
        }
        if (!mayCut()) {
          const upto = settings.threads ? Math.min(chunk.length, from + step) : chunk.length;
          await feed(decoder.write(from === 0 && upto === chunk.length ? chunk : chunk.subarray(from, upto)));
          read += upto - from;
          from = upto;
          continue;
        }
        // Fed line by line until this thread stands between two records: the parts start there.
        const nl = chunk.indexOf(LF, from);
        const upto = nl === -1 ? chunk.length : nl + 1;
        await feed(decoder.write(chunk.subarray(from, upto)));
        read += upto - from;
        from = upto;
        if (nl !== -1 && tokenizer.atRecordStart) {
          await session.flush();
          parts = new CsvParts(session, settings, decoder.encoding as TextEncoding, read, tokenizer.lines);
        }
      }
    }
    if (parts) {
      settings.atEnd();
      await parts.end();
      return;
    }
  } catch (e) {
    parts?.abandon();
    throw e;
  }
  await feed(decoder.end());
  settings.atEnd();
  records.length = 0;
  tokenizer.end(records);
  await feedRecords();
}

interface Sent {
  result: Promise<CsvPartResult>;
  done: boolean;
  /** The part's bytes, then its chunks (csv-part.ts writes them over the text it has read). */
  buffer: SharedArrayBuffer;
}

/** The parts of a file after its head: cut, sent to the job threads, taken back in order. */
class CsvParts {
  private pieces: Buffer[] = [];
  /** Bytes received and not yet in a part. */
  private size = 0;
  /** Quotes since the last cut, mod 2 (0: outside quoted fields). */
  private parity = 0;
  /** Where the received bytes may be cut: after their last line feed outside quotes (0: nowhere yet). */
  private cut = 0;
  private readonly queue: Sent[] = [];
  /** Shared buffers free to reuse (allocated once per import, larger ones when a part's chunks did not fit). */
  private readonly free: SharedArrayBuffer[] = [];
  /** Bytes of every shared buffer this import holds (in flight and free). */
  private held = 0;
  /** The size of a new buffer: a part's text and room, or more once a part's chunks took more. */
  private bufferBytes: number;
  private readonly budget: { parts: number; threads: number; bytes: number };
  private readonly threads: ThreadTasks;

  constructor(
    private readonly session: ImportSession,
    private readonly settings: CsvImportSettings,
    private readonly encoding: TextEncoding,
    /** The file's bytes before the received ones. */
    private offset: number,
    /** The file's line breaks before the first part not yet taken in. */
    private lineBase: number,
  ) {
    this.threads = settings.threads as ThreadTasks;
    const budget = partBudget(settings.partBytes, this.threads.size);
    this.budget = budget;
    this.bufferBytes = budget.bufferBytes;
  }

  async push(chunk: Buffer): Promise<void> {
    // a part is cut at most once per piece received: pieces of at most a quarter of a part (a request
    // brings 64 KiB at a time; tests cut 1 KiB parts)
    const step = Math.max(1, Math.floor(this.settings.partBytes / 4));
    if (chunk.length <= step) return this.receive(chunk);
    for (let at = 0; at < chunk.length; at += step) await this.receive(chunk.subarray(at, at + step));
  }

  private async receive(chunk: Buffer): Promise<void> {
    const base = this.size;
    if (chunk.indexOf(QUOTE) === -1) {
      if (this.parity === 0) {
        const nl = chunk.lastIndexOf(LF);
        if (nl !== -1) this.cut = base + nl + 1;
      }
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === QUOTE) this.parity ^= 1;
        else if (c === LF && this.parity === 0) this.cut = base + i + 1;
      }
    }
    this.pieces.push(chunk);
    this.size += chunk.length;
    while (this.queue.length && this.queue[0].done) await this.takeOldest();
    if (this.size >= this.settings.partBytes && this.cut > 0) await this.send(this.cut, false);
  }

  /** The end of the bytes: the rest is the last part; every part taken in. */
  async end(): Promise<void> {
    if (this.size > 0) await this.send(this.size, true);
    while (this.queue.length) await this.takeOldest();
    this.release();
  }

  /** The import stopped (a failed part, a broken upload, the COPY): its buffers are let go once no thread writes them. */
  abandon(): void {
    const pending = this.queue.splice(0).map((e) => e.result.catch(() => undefined));
    void Promise.all(pending).then(() => this.release());
  }

  private release(): void {
    this.settings.buffers?.add(-this.held);
    this.held = 0;
    this.free.length = 0;
  }

  /** A shared buffer for a part of `n` bytes: a free one, or a new one within the budget (else the oldest part is taken in first). */
  private async buffer(n: number): Promise<SharedArrayBuffer> {
    const need = Math.max(n, this.bufferBytes);
    for (;;) {
      if (this.queue.length < this.budget.parts) {
        const fit = this.free.findIndex((b) => b.byteLength >= need);
        if (fit !== -1) return this.free.splice(fit, 1)[0];
        // free buffers too small (a long part, chunks larger than their text) are let go for the new one
        const spare = this.free.reduce((sum, b) => sum + b.byteLength, 0);
        // one part per thread whatever its size (every thread kept busy), more only within the bytes
        if (this.queue.length < this.budget.threads || this.held - spare + need <= this.budget.bytes) {
          this.hold(need - spare);
          this.free.length = 0;
          return new SharedArrayBuffer(need);
        }
      }
      await this.takeOldest();
    }
  }

  private hold(bytes: number): void {
    if (bytes === 0) return;
    this.held += bytes;
    this.settings.buffers?.add(bytes);
  }

  /** The first `n` received bytes, copied into `shared`. */
  private take(n: number, shared: SharedArrayBuffer): Uint8Array {
    const out = new Uint8Array(shared, 0, n);
    let at = 0;
    while (at < n) {
      const piece = this.pieces[0];
      const want = n - at;
      if (piece.length <= want) {
        out.set(piece, at);
        at += piece.length;
        this.pieces.shift();
      } else {
        out.set(piece.subarray(0, want), at);
        at = n;
        this.pieces[0] = piece.subarray(want);
      }
    }
    this.size -= n;
    this.cut = 0; // the cut was the last known one
    return out;
  }

  private async send(n: number, last: boolean): Promise<void> {
    const shared = await this.buffer(n);
    const bytes = this.take(n, shared);
    const { catalog, options } = this.settings;
    const header = this.session.header as readonly string[];
    const input: CsvPartInput = { catalog, options, header, encoding: this.encoding, bytes, offset: this.offset, last, out: shared };
    this.offset += n;
    const entry: Sent = { result: this.threads.call<CsvPartResult>({ module: CSV_PART_MODULE, input }), done: false, buffer: shared };
    // marks the promise handled too: a part after a failed one is never awaited
    entry.result.then(
      () => (entry.done = true),
      () => (entry.done = true),
    );
    this.queue.push(entry);
  }

  private async takeOldest(): Promise<void> {
    const entry = this.queue.shift() as Sent;
    const r = await entry.result;
    if (!r.ok) throw this.failure(r.failure);
    // chunks written into the shared buffer: copied out (young buffers, as the import's own), the buffer reused
    let chunks = r.chunks;
    if (r.packed) {
      const packed = new Uint8Array(entry.buffer);
      chunks = r.packed.map(({ rowStart, rowCount, at, length }) => ({ rowStart, rowCount, data: Buffer.from(packed.subarray(at, at + length)) }));
    } else {
      // they did not fit (more bytes than the part's text): the next buffers are made large enough
      const need = chunks.reduce((sum, c) => sum + c.data.byteLength, 0);
      this.bufferBytes = Math.max(this.bufferBytes, Math.ceil(need * 1.1));
    }
    this.free.push(entry.buffer);
    await this.session.addPart({ ...r, chunks }, this.lineBase);
    this.lineBase += r.lines;
  }

  private failure(f: CsvPartFailure): Error {
    switch (f.kind) {
      case 'encoding':
        return badEncoding(f.offset);
      case 'truncated':
        return truncatedText();
      case 'syntax':
        return new CsvSyntaxError(f.message, f.line + this.lineBase);
      case 'nul':
        return rowNulRefused(f.row + this.session.rowsSoFar, f.line + this.lineBase, f.column);
    }
  }
}
