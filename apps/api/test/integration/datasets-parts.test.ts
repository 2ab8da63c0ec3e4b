import * as iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { decodeChunk, valueAt } from '../../src/datasets/chunk-codec';
import { partBudget } from '../../src/datasets/csv-import';
import { Metrics } from '../../src/metrics/metrics.service';
import { createTestApp, TestApp } from '../helpers/test-app';
import { cardCustomers, seedCatalog } from './simulation-fixtures';

/**
 * A large CSV upload is read in parts on the job threads (datasets/csv-import.ts), cut after a line
 * feed outside quoted fields. Here a part is 1 KiB (DATASET_IMPORT_PART_BYTES), so a file of ~200 KB
 * is cut ~200 times wherever its pieces arrive, and every answer — rows stored, bad rows with their
 * row and line, the 4xx of a broken file — must be the one the same file gets when read whole (an
 * app with the default 8 MiB parts, so one thread reads all of it).
 */
describe('datasets: a CSV file read in parts on the job threads', () => {
  let whole: TestApp;
  let parts: TestApp;
  let wholeAuth: { Authorization: string };
  let partsAuth: { Authorization: string };
  const CHUNK_ROWS = 500;
  beforeAll(async () => {
    whole = await createTestApp({ DATASET_CHUNK_ROWS: String(CHUNK_ROWS), MAX_UPLOAD_MB: '1' });
    parts = await createTestApp({ DATASET_CHUNK_ROWS: String(CHUNK_ROWS), MAX_UPLOAD_MB: '1', DATASET_IMPORT_PART_BYTES: '1024', SIMULATION_THREADS: '2' });
    await seedCatalog(whole.app);
    await seedCatalog(parts.app);
    wholeAuth = (await whole.login(['author'])).auth;
    partsAuth = (await parts.login(['author'])).auth;
  });
  afterAll(async () => {
    await whole?.close();
    await parts?.close();
  });

  const upload = (t: TestApp, auth: { Authorization: string }, body: Buffer, query: string) =>
    t.http.post(`/api/datasets${query}`).set(auth).attach('file', body, { filename: 'parts.csv', contentType: 'text/csv' });

  /** Both apps' answers to the same file (stripped of what differs between two stored datasets). */
  async function both(body: Buffer, query: string) {
    const strip = (b: Record<string, unknown>) => {
      const { id: _id, createdAt: _at, createdBy: _by, requestId: _request, ...rest } = b;
      return rest;
    };
    const a = await upload(whole, wholeAuth, body, query);
    const b = await upload(parts, partsAuth, body, query);
    return { whole: { status: a.status, body: strip(a.body) }, parts: { status: b.status, body: strip(b.body) }, ids: [a.body.id, b.body.id] as string[] };
  }

  const FACTS = ['avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId', 'district'];
  /** The stored rows in order (id and facts), checking that the chunks follow each other. */
  async function rowsOf(t: TestApp, id: string, facts = FACTS) {
    const chunks: { row_start: number; row_count: number; data: Buffer }[] = await t.app
      .get(DataSource)
      .query('SELECT row_start, row_count, data FROM dataset_chunk WHERE dataset_id = $1 ORDER BY chunk_no', [id]);
    const rows: unknown[][] = [];
    for (const c of chunks) {
      expect(c.row_start).toBe(rows.length);
      const d = decodeChunk(c.data);
      expect(d.rows).toBe(c.row_count);
      expect(d.rows).toBeLessThanOrEqual(CHUNK_ROWS);
      for (let i = 0; i < d.rows; i++) rows.push([d.idAt(i), ...facts.map((k) => valueAt(d.columns.get(k)!, i) ?? null)]);
    }
    return { rows, chunks: chunks.length };
  }

  /**
   * A card file with a `note` column (ignored) that is often quoted and holds line breaks (LF and
   * CRLF), commas and doubled quotes, so that many of the file's line feeds are inside quotes; each
   * record's file line is counted as the tokenizer counts it (1 + the LFs before it).
   */
  function cardFile(n: number, { eol = '\r\n', edit = (_i: number, cells: string[]) => cells } = {}) {
    const customers = cardCustomers(n, 17);
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    let text = '\uFEFFcustomerId,avgDailyAssets,familyAvgDailyAssets,hasValidId,district,note' + eol;
    let line = 2;
    const lineOf: number[] = [];
    customers.forEach((c, i) => {
      const note = i % 3 === 0 ? `"row ${i} says ""hi"",\nthen\r\nmore"` : i % 3 === 1 ? '' : `plain ${i}`;
      const record = edit(i, [c.customerId, cell(c.avgDailyAssets), cell(c.familyAvgDailyAssets), cell(c.hasValidId), c.district, note]).join(',') + eol;
      lineOf.push(line);
      line += record.split('\n').length - 1;
      text += record;
    });
    return { customers, text, lineOf };
  }

  const Q = '?unknownColumns=ignore';

  it('stores the same rows as the file read whole, across quoted line breaks at the cuts (CRLF, BOM)', async () => {
    const { customers, text } = cardFile(3000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(150_000);
    const r = await both(Buffer.from(text, 'utf8'), `${Q}&name=parts-valid`);
    expect(r.whole.status).toBe(201);
    expect(r.parts).toEqual(r.whole);
    expect(r.parts.body).toMatchObject({ rowCount: 3000, skippedRows: 0 });
    const [a, b] = [await rowsOf(whole, r.ids[0]), await rowsOf(parts, r.ids[1])];
    expect(b.rows).toEqual(a.rows);
    expect(b.rows).toEqual(customers.map((c) => [c.customerId, c.avgDailyAssets, c.familyAvgDailyAssets, c.hasValidId, c.district]));
    // read in parts indeed: each part ends its last chunk early
    expect(a.chunks).toBe(6);
    expect(b.chunks).toBeGreaterThan(6);
  });

  it('reports bad rows of later parts with their row and file line, the first 100 of them, as when read whole (reject and skip)', async () => {
    const { text, lineOf } = cardFile(3000, {
      edit: (i, cells) => {
        if (i === 5 || (i >= 1100 && i % 13 === 7)) cells[1] = 'lots'; // not a number (once in the head read by the request's thread)
        if (i === 2500) cells[3] = 'maybe'; // not a boolean
        if (i === 2998) return cells.slice(0, 3); // too few values
        return cells;
      },
    });
    const bad = Array.from({ length: 3000 }, (_v, i) => i).filter((i) => i === 5 || (i >= 1100 && i % 13 === 7) || i === 2500 || i === 2998);
    const reject = await both(Buffer.from(text, 'utf8'), `${Q}&name=parts-reject`);
    expect(reject.whole.status).toBe(422);
    expect(reject.parts).toEqual(reject.whole);
    expect(reject.parts.body).toMatchObject({ code: 'DATASET_BAD_ROWS' });
    expect(reject.parts.body.message).toContain(`${bad.length} of 3000 rows are not valid`);
    const details = reject.parts.body.details as { row: number; line: number; path: string }[];
    expect(details).toHaveLength(100);
    expect(details.map((d) => d.row)).toEqual(bad.slice(0, 100).map((i) => i + 1));
    expect(details.map((d) => d.line)).toEqual(bad.slice(0, 100).map((i) => lineOf[i]));

    const skip = await both(Buffer.from(text, 'utf8'), `${Q}&badRows=skip&name=parts-skip`);
    expect(skip.whole.status).toBe(201);
    expect(skip.parts).toEqual(skip.whole);
    expect(skip.parts.body).toMatchObject({ rowCount: 3000 - bad.length, skippedRows: bad.length });
    expect(skip.parts.body).toMatchObject({ details: { rowsRead: 3000, skippedRows: bad.length } });
    expect((await rowsOf(parts, skip.ids[1])).rows).toEqual((await rowsOf(whole, skip.ids[0])).rows);
  });

  it('with LF line ends and no newline at the end: the same rows, the last one included', async () => {
    const { text } = cardFile(2500, { eol: '\n' });
    const r = await both(Buffer.from(text.slice(0, -1), 'utf8'), `${Q}&name=parts-lf`);
    expect(r.whole.status).toBe(201);
    expect(r.parts).toEqual(r.whole);
    expect((await rowsOf(parts, r.ids[1])).rows).toEqual((await rowsOf(whole, r.ids[0])).rows);
  });

  it('refuses a NUL, a quote inside an unquoted field and an unclosed quote in a later part with the true row and line', async () => {
    const { text, lineOf } = cardFile(3000, { edit: (i, cells) => (i === 2700 ? [cells[0], cells[1], cells[2], cells[3], cells[4], 'a\u0000b'] : cells) });
    const nul = await both(Buffer.from(text, 'utf8'), `${Q}&name=parts-nul`);
    expect(nul.whole.status).toBe(422);
    expect(nul.parts).toEqual(nul.whole);
    expect(nul.parts.body).toMatchObject({ code: 'DATASET_NUL_CHARACTER', details: [{ row: 2701, line: lineOf[2700], column: 'note' }] });

    const quote = cardFile(3000, { edit: (i, cells) => (i === 2801 ? [...cells.slice(0, 5), 'a"b'] : cells) });
    const inside = await both(Buffer.from(quote.text, 'utf8'), `${Q}&name=parts-quote`);
    expect(inside.whole.status).toBe(400);
    expect(inside.parts).toEqual(inside.whole);
    expect(inside.parts.body).toMatchObject({ code: 'DATASET_MALFORMED_CSV', details: [{ path: `line ${quote.lineOf[2801]}` }] });

    const open = cardFile(3000);
    const unclosed = await both(Buffer.from(open.text + 'X9,1,2,true,惠城区,"never closed\r\n', 'utf8'), `${Q}&name=parts-open`);
    expect(unclosed.whole.status).toBe(400);
    expect(unclosed.parts).toEqual(unclosed.whole);
    expect(unclosed.parts.body.message).toContain('not closed before the end of the file');
  });

  it('reads a large GBK file (detected) in parts as when read whole; a bad UTF-8 byte in a later part is a 400', async () => {
    const { text } = cardFile(3000);
    const gbk = iconv.encode(text.slice(1), 'gbk');
    const r = await both(gbk, `${Q}&name=parts-gbk`);
    expect(r.whole.status).toBe(201);
    expect(r.parts).toEqual(r.whole);
    expect(r.parts.body).toMatchObject({ details: { encoding: 'gb18030' } });
    expect((await rowsOf(parts, r.ids[1])).rows).toEqual((await rowsOf(whole, r.ids[0])).rows);

    const utf8 = Buffer.from(text, 'utf8');
    const at = utf8.length - 5000;
    utf8[at] = 0xff; // never valid in UTF-8
    const broken = await both(utf8, `${Q}&encoding=utf-8&name=parts-bad-byte`);
    expect(broken.whole.status).toBe(400);
    expect(broken.parts.status).toBe(400);
    expect(broken.parts.body).toMatchObject({ code: 'DATASET_BAD_ENCODING', details: broken.whole.body.details });
    const near = Number(/near byte (\d+)/.exec(String(broken.parts.body.message))?.[1]);
    expect(near).toBeLessThanOrEqual(at);
    expect(near).toBeGreaterThan(at - 64 * 1024);
  });

  it('answers a file over MAX_UPLOAD_MB (413) and a body cut off in a later part (400) as when read whole, storing nothing', async () => {
    const { text } = cardFile(24_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const big = await both(Buffer.from(text, 'utf8'), `${Q}&name=parts-too-big`);
    expect(big.whole.status).toBe(413);
    expect(big.parts).toEqual(big.whole);

    const boundary = 'tierwise-parts-cut';
    const cutOff = (t: TestApp, auth: { Authorization: string }) =>
      t.http
        .post(`/api/datasets${Q}&name=parts-cut`)
        .set(auth)
        .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
        .send(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${cardFile(3000).text}`);
    const [a, b] = [await cutOff(whole, wholeAuth), await cutOff(parts, partsAuth)];
    expect(a.status).toBe(400);
    expect(b.status).toBe(400);
    expect(b.body).toMatchObject({ code: 'DATASET_MALFORMED_UPLOAD', details: a.body.details });
    for (const t of [whole, parts]) {
      const n = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM dataset WHERE name IN ('parts-too-big', 'parts-cut')`);
      expect(n[0].n).toBe(0);
    }
  });
  /** `tierwise_dataset_import_part_buffer_bytes` of the parts app: what its imports' shared part buffers hold now, and at most. */
  async function partBuffers() {
    const text = await parts.app.get(Metrics).registry.getSingleMetricAsString('tierwise_dataset_import_part_buffer_bytes');
    const value = (state: string) => Number(new RegExp(`state="${state}"} (\\d+)`).exec(text)?.[1]);
    return { held: value('held'), peak: value('peak') };
  }
  /** Held is back to 0 once the import's answer is out (a failed import lets its buffers go when its threads are done). */
  async function released() {
    for (let i = 0; i < 50 && (await partBuffers()).held !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    return partBuffers();
  }
  // 1 KiB parts, 2 threads: 4 parts in flight, in buffers of 1 KiB + a quarter
  const budget = partBudget(1024, 2);

  it('holds at most 2 × threads parts at once in its shared buffers, however fast the file arrives, and lets them go', async () => {
    expect(budget).toEqual({ parts: 4, threads: 2, bufferBytes: 1280, bytes: 5120 });
    expect(await released()).toMatchObject({ held: 0 }); // after every import above, the failed ones included
    const { text } = cardFile(6000); // ~300 parts: the upload is read far faster than two threads read parts
    const r = await upload(parts, partsAuth, Buffer.from(text, 'utf8'), `${Q}&name=parts-bound`);
    expect(r.status).toBe(201);
    expect((await rowsOf(parts, r.body.id)).chunks).toBeGreaterThan(200); // read in parts: each ends its last chunk early
    const after = await released();
    expect(after.held).toBe(0);
    expect(after.peak).toBeGreaterThanOrEqual(2 * budget.bufferBytes);
    expect(after.peak).toBeLessThanOrEqual(budget.bytes);
  });

  it('stores a file whose chunks take more bytes than its text (short numbers) in larger buffers, fewer of them in flight', async () => {
    // ~12 bytes of text a row; its chunk takes an id (4 + 5 bytes) and two Float64 (16 bytes): twice the text
    let text = 'customerId,avgDailyAssets,familyAvgDailyAssets,hasValidId\n';
    for (let i = 0; i < 20_000; i++) text += `${i % 100000},${i % 10},${i % 7},\n`;
    const r = await both(Buffer.from(text, 'utf8'), `${Q}&name=parts-dense`);
    expect(r.whole.status).toBe(201);
    expect(r.parts).toEqual(r.whole);
    expect(r.parts.body).toMatchObject({ rowCount: 20_000 });
    const numbers = ['avgDailyAssets', 'familyAvgDailyAssets'];
    const stored = (await rowsOf(parts, r.ids[1], numbers)).rows;
    expect(stored).toEqual((await rowsOf(whole, r.ids[0], numbers)).rows);
    expect(stored[19_999]).toEqual(['19999', 9, 19_999 % 7]);
    const after = await released();
    expect(after.held).toBe(0);
    // one part per thread in buffers of 1.1 × a part's chunks (~2.4 × its text): above the text-sized budget, below twice it
    expect(after.peak).toBeLessThanOrEqual(2 * budget.bytes);
  });
});
