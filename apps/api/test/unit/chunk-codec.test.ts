import { ChunkBuilder, decodeChunk, valueAt } from '../../src/datasets/chunk-codec';

const IDS = ['C000000001', null, '客户甲', '', 'a,"b"', '\u{1F600}x', 'C000000007'];

function built(ids: (string | null)[]): Buffer {
  const builder = new ChunkBuilder([{ key: 'assets', type: 'number' }], ids.length, true);
  ids.forEach((id, i) => builder.append(id, [i * 1000]));
  return builder.encode();
}

/** A chunk as written before ids had their own layout: the ids as one JSON list after the columns. */
function legacy(ids: (string | null)[]): Buffer {
  const json = Buffer.from(JSON.stringify(ids), 'utf8');
  for (let headerLength = 0; ;) {
    const at = (8 + headerLength + 7) & ~7;
    const header = Buffer.from(JSON.stringify({ rows: ids.length, idsAt: [at, json.length], columns: [] }), 'utf8');
    if (header.length !== headerLength) {
      headerLength = header.length;
      continue;
    }
    const out = Buffer.alloc(at + json.length);
    out.writeUInt32LE(0x31435754, 0);
    out.writeUInt32LE(header.length, 4);
    header.copy(out, 8);
    json.copy(out, at);
    return out;
  }
}

describe('dataset chunks keep every customer id', () => {
  it('a chunk gives back each id (null, empty, Chinese, astral, quoted) one by one and all at once, beside its columns', () => {
    const chunk = decodeChunk(built(IDS));
    expect(IDS.map((_id, i) => chunk.idAt(i))).toEqual(IDS);
    expect(chunk.ids).toEqual(IDS);
    expect(JSON.parse(chunk.idsJson!)).toEqual(IDS);
    expect(IDS.map((_id, i) => valueAt(chunk.columns.get('assets')!, i))).toEqual(IDS.map((_id, i) => i * 1000));
  });

  it('ASCII-only ids and ids next to each other that could join into one character stay apart', () => {
    const ascii = Array.from({ length: 1000 }, (_v, i) => (i % 97 === 5 ? null : i % 89 === 3 ? '' : `B${String(i).padStart(7, '0')}`));
    expect(decodeChunk(built(ascii)).ids).toEqual(ascii);
    const halves = ['\uD83D', '\uDE00'];
    const chunk = decodeChunk(built(halves));
    expect([chunk.idAt(0), chunk.idAt(1)]).toEqual(halves.map((h) => Buffer.from(h, 'utf8').toString('utf8')));
  });

  it('chunks written before (ids as a JSON list) are still read', () => {
    const chunk = decodeChunk(legacy(IDS));
    expect(chunk.ids).toEqual(IDS);
    expect(chunk.idsJson).toBe(JSON.stringify(IDS));
    expect(IDS.map((_id, i) => chunk.idAt(i))).toEqual(IDS);
  });

  it('a dataset without an id column has no ids', () => {
    const builder = new ChunkBuilder([{ key: 'assets', type: 'number' }], 2, false);
    builder.append(null, [1]);
    builder.append(null, [2]);
    const chunk = decodeChunk(builder.encode());
    expect(chunk.ids).toBeNull();
    expect(chunk.idsJson).toBeNull();
    expect(chunk.idAt(1)).toBeNull();
  });
});
