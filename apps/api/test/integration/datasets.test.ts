import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { decodeChunk, DecodedColumn, valueAt } from '../../src/datasets/chunk-codec';
import { createTestApp, TestApp } from '../helpers/test-app';
import { cardCustomers, csvOf, seedCatalog } from './simulation-fixtures';

const BOM = '\uFEFF';

describe('datasets: upload, coercion, bad rows, encodings, synthetic', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string }; username: string };
  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
  });
  afterAll(() => t.close());

  const upload = (body: string | Buffer, query = '', filename = 'customers.csv') =>
    t.http
      .post(`/api/datasets${query}`)
      .set(author.auth)
      .attach('file', typeof body === 'string' ? Buffer.from(body, 'utf8') : body, { filename, contentType: 'text/csv' });

  const chunkCount = async (id: string) =>
    Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM dataset_chunk WHERE dataset_id = $1', [id]))[0].n);

  const mixed =
    BOM +
    [
      'customerId,avgDailyAssets,familyAvgDailyAssets,hasValidId,district',
      'A1,"1,200,000.50",,是,惠城区',
      'A2,abc,10,true,惠阳区', // row 2: not a number
      'A3,300000,250000,1,博罗县',
      'A4,5,6,maybe,惠东县', // row 4: not a boolean
      'A5,7,8', // row 5: too few values
      'A6,99999.99,,否,龙门县',
    ].join('\r\n') +
    '\r\n';

  it('rejects a UTF-8 (BOM) file with bad rows by default, listing each (row, column, reason), and stores nothing', async () => {
    // a name of its own: other test files write datasets into the same database at the same time
    const name = `mixed-reject-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const res = await upload(mixed, `?name=${name}`).expect(422);
    expect(res.body.code).toBe('DATASET_BAD_ROWS');
    expect(res.body.message).toContain('3 of 6 rows are not valid, so nothing was imported');
    expect(res.body.details).toEqual([
      expect.objectContaining({
        row: 2,
        line: 3,
        column: 'avgDailyAssets',
        reason: expect.stringContaining('must be a number'),
        path: 'rows[2].avgDailyAssets',
      }),
      expect.objectContaining({ row: 4, line: 5, column: 'hasValidId', reason: expect.stringContaining('true or false') }),
      expect.objectContaining({ row: 5, line: 6, column: null, reason: 'has 3 values; the header has 5 columns' }),
    ]);
    const stored = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM dataset WHERE name = $1', [name]);
    expect(stored[0].n).toBe(0);
  });

  it('with badRows=skip imports the valid rows and says which were left out', async () => {
    const res = await upload(mixed, '?badRows=skip&name=mixed-skip').expect(201);
    expect(res.body).toMatchObject({
      name: 'mixed-skip',
      rowCount: 3,
      skippedRows: 3,
      columns: ['avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId', 'district'],
      idColumn: 'customerId',
      source: 'csv',
    });
    expect(res.body.details).toMatchObject({ encoding: 'utf-8', badRows: 'skip', rowsRead: 6, skippedRows: 3, fileName: 'customers.csv' });
    expect(res.body.details.problems).toHaveLength(3);
    const got = await t.http.get(`/api/datasets/${res.body.id}`).set(author.auth).expect(200);
    expect(got.body.preview).toEqual([
      { row: 1, customerId: 'A1', avgDailyAssets: 1_200_000.5, familyAvgDailyAssets: null, hasValidId: true, district: '惠城区' },
      { row: 2, customerId: 'A3', avgDailyAssets: 300_000, familyAvgDailyAssets: 250_000, hasValidId: true, district: '博罗县' },
      { row: 3, customerId: 'A6', avgDailyAssets: 99_999.99, familyAvgDailyAssets: null, hasValidId: false, district: '龙门县' },
    ]);
  });

  it('reads a GBK file (Chinese Excel export, Chinese headers mapped by label), detected or declared', async () => {
    const text =
      ['客户号,日均综合金融资产,家庭日均综合金融资产,持有有效身份证件,所属区域', 'G1,350000,,是,惠城区', 'G2,"2,000",90000,是,大亚湾区'].join('\r\n') + '\r\n';
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8
    for (const query of ['?name=gbk-detected', '?name=gbk-declared&encoding=gbk']) {
      const res = await upload(gbk, query, '客户.csv').expect(201);
      expect(res.body).toMatchObject({ rowCount: 2, columns: ['avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId', 'district'], idColumn: '客户号' });
      expect(res.body.details.encoding).toBe(query.includes('gbk') && !query.includes('detected') ? 'gbk' : 'gb18030');
      const got = await t.http.get(`/api/datasets/${res.body.id}`).set(author.auth).expect(200);
      expect(got.body.preview[1]).toEqual({
        row: 2,
        customerId: 'G2',
        avgDailyAssets: 2000,
        familyAvgDailyAssets: 90_000,
        hasValidId: true,
        district: '大亚湾区',
      });
    }
  });

  it('refuses a file that is not valid text in the declared encoding', async () => {
    const gbk = iconv.encode('customerId,district\nX,惠城区\n', 'gbk');
    const res = await upload(gbk, '?encoding=utf-8').expect(400);
    expect(res.body.code).toBe('DATASET_BAD_ENCODING');
  });

  it('answers malformed CSV with 400 naming the line', async () => {
    const res = await upload('customerId,district\nX,"惠城区\nY,惠阳区\n').expect(400);
    expect(res.body.code).toBe('DATASET_MALFORMED_CSV');
    expect(res.body.message).toContain('line 2');
    const quote = await upload('customerId,district\nX,惠"城区\n').expect(400);
    expect(quote.body.message).toContain('inside an unquoted field');
  });

  it('answers a header that is the label of two facts with 422 naming both; a mapping settles it', async () => {
    const label = `渠道评分 ${Date.now()}`;
    const keys = [`channelScoreA${Date.now()}`, `channelScoreB${Date.now()}`];
    for (const key of keys) await t.http.post('/api/facts').set(author.auth).send({ key, label, type: 'number' }).expect(201);
    const res = await upload(`customerId,${label}\nX,1\n`).expect(422);
    expect(res.body.details).toEqual([{ path: `columns.${label}`, message: expect.stringMatching(new RegExp(`${keys[0]}, ${keys[1]}`)) }]);
    const mapped = await upload(`customerId,${label}\nX,1\n`, `?mapping=${encodeURIComponent(JSON.stringify({ [label]: keys[1] }))}`).expect(201);
    expect(mapped.body.columns).toEqual([keys[1]]);
  });

  it('answers unknown, duplicate and empty columns with 422; unknownColumns=ignore or a mapping gets past them', async () => {
    const res = await upload('customerId,avgDailyAssets,shoeSize,avgDailyAssets\nX,1,2,3\n').expect(422);
    expect(res.body.code).toBe('DATASET_BAD_COLUMNS');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'columns.shoeSize', message: expect.stringContaining('matches no fact') }),
        expect.objectContaining({ path: 'columns.avgDailyAssets', message: 'appears twice' }),
      ]),
    );
    const ignored = await upload('customerId,avgDailyAssets,shoeSize\nX,1,2\n', '?unknownColumns=ignore').expect(201);
    expect(ignored.body).toMatchObject({ rowCount: 1, columns: ['avgDailyAssets'] });
    expect(ignored.body.details.ignoredColumns).toEqual(['shoeSize']);
    const mapped = await upload('no,Assets\nX,1\n', `?idColumn=no&mapping=${encodeURIComponent(JSON.stringify({ Assets: 'avgDailyAssets' }))}`).expect(201);
    expect(mapped.body).toMatchObject({ rowCount: 1, columns: ['avgDailyAssets'], idColumn: 'no' });
  });

  it('answers a header-only file, a missing file part and a wrong content type with 4xx', async () => {
    expect((await upload('customerId,avgDailyAssets\n').expect(422)).body.code).toBe('DATASET_EMPTY');
    const noFile = await t.http.post('/api/datasets').set(author.auth).field('name', 'x').expect(400);
    expect(noFile.body.message).toContain('field named "file"');
    await t.http.post('/api/datasets').set(author.auth).set('Content-Type', 'text/plain').send('a,b').expect(415);
    expect((await upload('a\n1\n', '?badRows=sometimes').expect(422)).body.details).toEqual([expect.objectContaining({ path: 'badRows' })]);
  });

  it('takes JSON rows with the same coercion and bad-row policy', async () => {
    const ok = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({
        name: 'json',
        rows: [
          { customerId: 'J1', avgDailyAssets: 500_000, hasValidId: true, district: '惠城区' },
          { customerId: 'J2', avgDailyAssets: '1,000', hasValidId: 'no' },
        ],
      })
      .expect(201);
    expect(ok.body).toMatchObject({ name: 'json', rowCount: 2, source: 'json', columns: ['avgDailyAssets', 'hasValidId', 'district'] });
    const bad = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'json-bad', rows: [{ avgDailyAssets: true }, { avgDailyAssets: 5 }] })
      .expect(422);
    expect(bad.body.details).toEqual([
      expect.objectContaining({ row: 1, column: 'avgDailyAssets', path: 'rows[0].avgDailyAssets', reason: 'must be a number' }),
    ]);
    await t.http.post('/api/datasets').set(author.auth).send({ rows: [] }).expect(422);
  });

  it('stores a large upload as several chunks and lists datasets with Content-Range', async () => {
    const customers = cardCustomers(45_000, 7);
    const res = await upload(BOM + csvOf(customers), '?name=big').expect(201);
    expect(res.body.rowCount).toBe(45_000);
    expect(await chunkCount(res.body.id)).toBe(3); // 20,000 rows per chunk
    const list = await t.http.get('/api/datasets?range=[0,1]').set(author.auth).expect(200);
    expect(list.headers['content-range']).toMatch(/^datasets 0-1\/\d+$/);
    expect(list.body).toHaveLength(2);
  });

  it('generates synthetic populations deterministically, per template', async () => {
    const make = (seed: number) => t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 25_000, seed }).expect(201);
    const [a, b, c] = [await make(42), await make(42), await make(43)];
    expect(a.body).toMatchObject({
      rowCount: 25_000,
      source: 'synthetic',
      columns: ['avgDailyAssets', 'familyAvgDailyAssets', 'hasValidId', 'district', 'industry', 'ageCohort'],
    });
    expect(a.body.details.sha256).toBe(b.body.details.sha256);
    expect(c.body.details.sha256).not.toBe(a.body.details.sha256);
    const pa = await t.http.get(`/api/datasets/${a.body.id}`).set(author.auth).expect(200);
    const pb = await t.http.get(`/api/datasets/${b.body.id}`).set(author.auth).expect(200);
    expect(pa.body.preview).toEqual(pb.body.preview);
    // Log-normal skew: a pyramid, most customers small, few very wealthy; ~30% family cards; 惠城区 largest.
    const [first] = await t.app.get(DataSource).query('SELECT data FROM dataset_chunk WHERE dataset_id = $1 AND chunk_no = 0', [a.body.id]);
    const chunk = decodeChunk(first.data);
    const values = (key: string) => Array.from({ length: chunk.rows }, (_v, i) => valueAt(chunk.columns.get(key) as DecodedColumn, i));
    const assets = (values('avgDailyAssets') as number[]).sort((x, y) => x - y);
    expect(assets[Math.floor(assets.length / 2)]).toBeGreaterThan(30_000);
    expect(assets[Math.floor(assets.length / 2)]).toBeLessThan(120_000);
    const rich = assets.filter((x) => x >= 1_000_000).length / assets.length;
    expect(rich).toBeGreaterThan(0.01);
    expect(rich).toBeLessThan(0.1);
    const family = values('familyAvgDailyAssets').filter((x) => x !== undefined).length / chunk.rows;
    expect(family).toBeGreaterThan(0.25);
    expect(family).toBeLessThan(0.35);
    const districts = new Map<unknown, number>();
    for (const d of values('district')) districts.set(d, (districts.get(d) ?? 0) + 1);
    expect([...districts].sort((x, y) => y[1] - x[1])[0][0]).toBe('惠城区');
    const dealer = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'dealer-loyalty', size: 100, seed: 1 }).expect(201);
    expect(dealer.body.columns).toEqual(
      expect.arrayContaining(['vehicleComplaint', 'negativePublicity', 'economicCapacity', 'district', 'carModel', 'ageCohort', 'industry']),
    );
    const unknown = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'nope', size: 10 }).expect(422);
    expect(unknown.body.code).toBe('DATASET_UNKNOWN_TEMPLATE');
    await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 0 }).expect(422);
  });

  it('audits every dataset created', async () => {
    const res = await upload('customerId,avgDailyAssets\nX,1\n', '?name=audited').expect(201);
    const events = await t.http.get(`/api/audit-events?entityType=dataset&entityId=${res.body.id}`).set(author.auth).expect(200);
    expect(events.body).toEqual([expect.objectContaining({ action: 'dataset.create', actor: author.username })]);
  });

  it('lets viewers read and nobody without a role write; service has no access', async () => {
    const viewer = await t.login(['viewer']);
    const service = await t.login(['service']);
    await t.http.get('/api/datasets').set(viewer.auth).expect(200);
    await t.http.post('/api/datasets').set(viewer.auth).attach('file', Buffer.from('customerId\nX\n'), 'x.csv').expect(403);
    await t.http.post('/api/datasets/synthetic').set(viewer.auth).send({ template: 'cib-card', size: 1 }).expect(403);
    await t.http.get('/api/datasets').set(service.auth).expect(403);
  });
});

describe('datasets: upload size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MAX_UPLOAD_MB: '1' });
    await seedCatalog(t.app);
  });
  afterAll(() => t.close());

  it('answers a file over MAX_UPLOAD_MB with 413 and stores nothing', async () => {
    const author = await t.login(['author']);
    const big = csvOf(cardCustomers(40_000, 3)); // ~1.6 MB
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    const res = await t.http.post('/api/datasets?name=too-big').set(author.auth).attach('file', Buffer.from(big), 'big.csv').expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'DATASET_TOO_LARGE' });
    const rows = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM dataset WHERE name = 'too-big'`);
    expect(rows[0].n).toBe(0);
  });
});

/**
 * Uploads go through @fastify/multipart (common/upload.ts): a multipart body that is not one CSV in
 * the field `file` is a 400 at `file`, never a 500, and nothing is stored; the file is imported
 * while it is still arriving, never held whole first.
 */
describe('datasets: multipart uploads', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string } };
  let base = '';
  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const stored = async (name: string) => Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM dataset WHERE name = $1', [name]))[0].n);

  it('answers a body without a file, with two files, or cut off with 400 DATASET_MALFORMED_UPLOAD at "file", storing nothing', async () => {
    const none = await t.http.post('/api/datasets?name=mp-none').set(author.auth).field('idColumn', 'customerId').expect(400);
    expect(none.body).toMatchObject({ code: 'DATASET_MALFORMED_UPLOAD', details: [{ path: 'file', message: 'is required' }] });

    const two = await t.http
      .post('/api/datasets?name=mp-two')
      .set(author.auth)
      .attach('file', Buffer.from('customerId\nA\n'), 'a.csv')
      .attach('file', Buffer.from('customerId\nB\n'), 'b.csv')
      .expect(400);
    expect(two.body).toMatchObject({
      code: 'DATASET_MALFORMED_UPLOAD',
      message: 'Send one file, in the multipart field named "file"',
      details: [{ path: 'file' }],
    });

    const boundary = 'tierwise-cut-off';
    const cut = await t.http
      .post('/api/datasets?name=mp-cut')
      .set(author.auth)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\ncustomerId\nA\n`)
      .expect(400);
    expect(cut.body).toMatchObject({ code: 'DATASET_MALFORMED_UPLOAD', details: [{ path: 'file' }] });
    expect(cut.body.message).toMatch(/^The multipart body is malformed/);

    for (const name of ['mp-none', 'mp-two', 'mp-cut']) expect(await stored(name)).toBe(0);
  });

  it('imports the file while it is still arriving: the COPY runs before the body has ended', async () => {
    const boundary = 'tierwise-streaming';
    const customers = cardCustomers(30_000, 11);
    const csv = csvOf(customers);
    const half = csv.indexOf('\n', Math.floor(csv.length / 2)) + 1;
    const req = httpRequest(`${base}/api/datasets?name=mp-streamed`, {
      method: 'POST',
      headers: { ...author.auth, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    const answer = new Promise<{ status: number; body: { rowCount?: number } }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { rowCount?: number } }));
      });
      req.on('error', reject);
    });
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="streamed.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    req.write(csv.slice(0, half));
    // The second half is not sent yet: the import must already be writing the first one.
    const db = t.app.get(DataSource);
    const until = Date.now() + 60_000;
    let copying = false;
    while (!copying && Date.now() < until) {
      const rows: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY dataset_chunk %' AND state = 'active'`,
      );
      copying = rows[0].n > 0;
      if (!copying) await new Promise((r) => setTimeout(r, 50));
    }
    expect(copying).toBe(true);
    req.end(`${csv.slice(half)}\r\n--${boundary}--\r\n`);
    const res = await answer;
    expect(res.status).toBe(201);
    expect(res.body.rowCount).toBe(customers.length);
  });
});
