import type { FactType } from '@tierwise/policy-engine';

/**
 * A dataset is stored as columnar chunks of up to `chunkRows` customers (one `dataset_chunk` row
 * each): numbers as Float64 (NaN = missing), booleans as bytes (2 = missing), everything else
 * (string, enum, date, string[]) dictionary-encoded per chunk (0xFFFFFFFF = missing), customer ids
 * in a block of their own: uint32 LE end offsets (one per row, high bit = no id) then the ids' UTF-8
 * bytes, so one id is read without decoding the others (a simulation names its sample customers;
 * a chunk's ids as one JSON list cost more to parse than evaluating the chunk — chunks written
 * before, `idsForm` absent, still hold that list and are read as such). A simulation worker reads a
 * chunk with one query and evaluates it without parsing a single JSON row.
 *
 * Layout: "TWC1" · uint32 LE header length · header JSON (UTF-8) · zero padding to 8 · column
 * blocks, each starting at a multiple of 8 (offsets in the header are from the start of the chunk).
 */

const MAGIC = 0x31435754; // "TWC1" little-endian
export const MISSING_CODE = 0xffffffff;
export const BOOL_MISSING = 2;

export type ColumnKind = 'f64' | 'bool' | 'dict';

export interface ColumnSpec {
  key: string;
  type: FactType;
}

export function kindOf(type: FactType): ColumnKind {
  if (type === 'number' || type === 'integer') return 'f64';
  if (type === 'boolean') return 'bool';
  return 'dict';
}

interface HeaderColumn {
  key: string;
  kind: ColumnKind;
  offset: number;
  dict?: unknown[];
}

interface ChunkHeader {
  rows: number;
  /** Where the ids block is (offset, length), or null when the dataset has no id column. */
  idsAt: [number, number] | null;
  /** 'ends': end offsets + UTF-8 bytes; absent: a JSON list (chunks written before). */
  idsForm?: 'ends';
  columns: HeaderColumn[];
}

const NO_ID = 0x80000000;

/** The ids block: one uint32 LE end offset per row (into the bytes after them; high bit = null), then the UTF-8 bytes. */
function encodeIds(ids: (string | null)[]): Buffer {
  const n = ids.length;
  const joined = ids.join(''); // null → ''
  const text = Buffer.from(joined, 'utf8');
  if (text.length === joined.length) {
    // ASCII (the usual case): byte offsets are string offsets — one join and one copy (faster than JSON.stringify)
    const out = Buffer.from(new ArrayBuffer(n * 4 + text.length));
    const ends = new Uint32Array(out.buffer, 0, n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      ends[i] = id === null ? (at | NO_ID) >>> 0 : (at += id.length);
    }
    text.copy(out, n * 4);
    return out;
  }
  // each id written on its own (joined, two ids could merge into one character); ≤ 3 bytes per UTF-16 unit
  const out = Buffer.alloc(n * 4 + joined.length * 3);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id !== null && id.length) at += out.write(id, n * 4 + at, 'utf8');
    out.writeUInt32LE(id === null ? (at | NO_ID) >>> 0 : at, i * 4);
  }
  return out.subarray(0, n * 4 + at);
}

export type DecodedColumn =
  | { key: string; kind: 'f64'; values: Float64Array }
  | { key: string; kind: 'bool'; values: Uint8Array }
  | { key: string; kind: 'dict'; codes: Uint32Array; dict: unknown[] };

export interface DecodedChunk {
  rows: number;
  /** Customer ids (null where a row has none), or null when the dataset has no id column. Decoded on first read. */
  readonly ids: (string | null)[] | null;
  /** The customer ids as a JSON list (text; what a query passes to PostgreSQL), or null when the dataset has no id column. */
  readonly idsJson: string | null;
  /** Row `i`'s customer id (null when it has none or the dataset has no id column), without decoding the others. */
  idAt(i: number): string | null;
  columns: Map<string, DecodedColumn>;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Collects coerced rows (values already of their fact's type; null/undefined = missing) into one chunk. */
export class ChunkBuilder {
  rows = 0;
  private readonly kinds: ColumnKind[];
  private f64: (Float64Array | null)[] = [];
  private bool: (Uint8Array | null)[] = [];
  private codes: (Uint32Array | null)[] = [];
  private dictIndex: (Map<string, number> | null)[] = [];
  private dictValues: unknown[][] = [];
  private ids: (string | null)[] | null;

  constructor(
    readonly columns: ColumnSpec[],
    readonly capacity: number,
    private readonly withIds: boolean,
  ) {
    this.kinds = columns.map((c) => kindOf(c.type));
    this.ids = withIds ? [] : null;
    this.allocate();
  }

  private allocate(): void {
    this.f64 = this.kinds.map((k) => (k === 'f64' ? new Float64Array(this.capacity) : null));
    this.bool = this.kinds.map((k) => (k === 'bool' ? new Uint8Array(this.capacity) : null));
    this.codes = this.kinds.map((k) => (k === 'dict' ? new Uint32Array(this.capacity) : null));
    this.dictIndex = this.kinds.map((k) => (k === 'dict' ? new Map<string, number>() : null));
    this.dictValues = this.kinds.map(() => []);
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  append(id: string | null, values: readonly unknown[]): void {
    const r = this.rows;
    if (r >= this.capacity) throw new Error('chunk is full');
    if (this.ids) this.ids.push(id);
    for (let c = 0; c < this.kinds.length; c++) {
      const v = values[c];
      const missing = v === null || v === undefined;
      switch (this.kinds[c]) {
        case 'f64':
          (this.f64[c] as Float64Array)[r] = missing ? NaN : (v as number);
          break;
        case 'bool':
          (this.bool[c] as Uint8Array)[r] = missing ? BOOL_MISSING : v ? 1 : 0;
          break;
        default: {
          const codes = this.codes[c] as Uint32Array;
          if (missing) {
            codes[r] = MISSING_CODE;
            break;
          }
          const index = this.dictIndex[c] as Map<string, number>;
          const key = typeof v === 'string' ? v : JSON.stringify(v);
          let code = index.get(key);
          if (code === undefined) {
            code = this.dictValues[c].length;
            index.set(key, code);
            this.dictValues[c].push(v);
          }
          codes[r] = code;
        }
      }
    }
    this.rows = r + 1;
  }

  /** The chunk's bytes; the builder can then be `reset()` for the next chunk. */
  encode(): Buffer {
    const rows = this.rows;
    const idsBytes = this.ids ? encodeIds(this.ids) : null;
    const blocks: { bytes: Uint8Array; column: HeaderColumn }[] = this.columns.map((col, c) => {
      const kind = this.kinds[c];
      const bytes =
        kind === 'f64'
          ? new Uint8Array((this.f64[c] as Float64Array).buffer, 0, rows * 8)
          : kind === 'bool'
            ? new Uint8Array((this.bool[c] as Uint8Array).buffer, 0, rows)
            : new Uint8Array((this.codes[c] as Uint32Array).buffer, 0, rows * 4);
      return { bytes, column: { key: col.key, kind, offset: 0, ...(kind === 'dict' ? { dict: this.dictValues[c] } : {}) } };
    });
    // Offsets depend on the header's length, which depends on the offsets' digits: settle it in two passes.
    let headerBytes = Buffer.alloc(0);
    for (let pass = 0; pass < 3; pass++) {
      let at = align8(8 + headerBytes.length);
      for (const b of blocks) {
        b.column.offset = at;
        at = align8(at + b.bytes.byteLength);
      }
      const header: ChunkHeader = {
        rows,
        idsAt: idsBytes ? [at, idsBytes.length] : null,
        ...(idsBytes ? { idsForm: 'ends' } : {}),
        columns: blocks.map((b) => b.column),
      };
      const next = Buffer.from(JSON.stringify(header), 'utf8');
      if (next.length === headerBytes.length) {
        headerBytes = next;
        break;
      }
      headerBytes = next;
    }
    const start = align8(8 + headerBytes.length);
    if (blocks.length && blocks[0].column.offset !== start) throw new Error('chunk header layout did not settle');
    const columnsEnd = blocks.reduce((at, b) => align8(at + b.bytes.byteLength), start);
    const out = Buffer.alloc(columnsEnd + (idsBytes?.length ?? 0));
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(headerBytes.length, 4);
    headerBytes.copy(out, 8);
    for (const b of blocks) out.set(b.bytes, b.column.offset);
    if (idsBytes) {
      const header = JSON.parse(headerBytes.toString('utf8')) as ChunkHeader;
      if (header.idsAt?.[0] !== columnsEnd) throw new Error('chunk header layout did not settle');
      idsBytes.copy(out, columnsEnd);
    }
    return out;
  }

  reset(): void {
    this.rows = 0;
    this.ids = this.withIds ? [] : null;
    this.allocate();
  }
}

/** The chunk as typed-array views (copied once into an 8-aligned buffer if the driver's is not). */
export function decodeChunk(data: Uint8Array): DecodedChunk {
  let bytes = data;
  if (bytes.byteOffset % 8 !== 0) {
    const copy = new Uint8Array(new ArrayBuffer(align8(bytes.byteLength)), 0, bytes.byteLength);
    copy.set(bytes);
    bytes = copy;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a dataset chunk');
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8')) as ChunkHeader;
  const columns = new Map<string, DecodedColumn>();
  const base = bytes.byteOffset;
  for (const c of header.columns) {
    if (c.kind === 'f64') columns.set(c.key, { key: c.key, kind: 'f64', values: new Float64Array(bytes.buffer, base + c.offset, header.rows) });
    else if (c.kind === 'bool') columns.set(c.key, { key: c.key, kind: 'bool', values: new Uint8Array(bytes.buffer, base + c.offset, header.rows) });
    else columns.set(c.key, { key: c.key, kind: 'dict', codes: new Uint32Array(bytes.buffer, base + c.offset, header.rows), dict: c.dict ?? [] });
  }
  const rows = header.rows;
  const idsAt = header.idsAt;
  let ids: (string | null)[] | null | undefined;
  let json: string | undefined;
  let idAt: (i: number) => string | null;
  const ends = idsAt && header.idsForm === 'ends';
  if (!idsAt) idAt = () => null;
  else if (ends) {
    // the ends start 8-aligned (a block) and are rows × 4 bytes: the text follows them
    const endAt = new Uint32Array(bytes.buffer, base + idsAt[0], rows);
    const text = Buffer.from(bytes.buffer, base + idsAt[0] + rows * 4, idsAt[1] - rows * 4);
    idAt = (i) => {
      const end = endAt[i];
      if (end & NO_ID) return null;
      return text.toString('utf8', i === 0 ? 0 : (endAt[i - 1] & ~NO_ID) >>> 0, end);
    };
  } else {
    idAt = (i) => (decoded.ids as (string | null)[])[i] ?? null;
  }
  // chunks written before: the stored JSON list as it is
  const storedJson = () => (json ??= Buffer.from(bytes.buffer, base + (idsAt as [number, number])[0], (idsAt as [number, number])[1]).toString('utf8'));
  const decoded: DecodedChunk = {
    rows,
    columns,
    get ids() {
      if (ids === undefined) {
        if (!idsAt) ids = null;
        else if (ends) {
          ids = new Array<string | null>(rows);
          for (let i = 0; i < rows; i++) ids[i] = idAt(i);
        } else ids = JSON.parse(storedJson()) as (string | null)[];
      }
      return ids;
    },
    get idsJson() {
      if (!idsAt) return null;
      return ends ? (json ??= JSON.stringify(decoded.ids)) : storedJson();
    },
    idAt: (i) => idAt(i),
  };
  return decoded;
}

/** The value of row `i` as the evaluator wants it: undefined when missing. */
export function valueAt(col: DecodedColumn, i: number): unknown {
  switch (col.kind) {
    case 'f64': {
      const x = col.values[i];
      return x !== x ? undefined : x;
    }
    case 'bool': {
      const b = col.values[i];
      return b === BOOL_MISSING ? undefined : b === 1;
    }
    default: {
      const code = col.codes[i];
      return code === MISSING_CODE ? undefined : col.dict[code];
    }
  }
}

/** A fast accessor for one column (the simulation's inner loop). */
export function getterOf(col: DecodedColumn): (i: number) => unknown {
  switch (col.kind) {
    case 'f64': {
      const values = col.values;
      return (i) => {
        const x = values[i];
        return x !== x ? undefined : x;
      };
    }
    case 'bool': {
      const values = col.values;
      return (i) => {
        const b = values[i];
        return b === BOOL_MISSING ? undefined : b === 1;
      };
    }
    default: {
      const { codes, dict } = col;
      return (i) => {
        const code = codes[i];
        return code === MISSING_CODE ? undefined : dict[code];
      };
    }
  }
}
