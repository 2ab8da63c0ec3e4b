import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { csvStream, formulaSafe, xlsxStream } from '../../src/common/export';

async function bytes(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream) parts.push(Buffer.from(b as Buffer));
  return Buffer.concat(parts);
}

const HOSTILE = ['=HYPERLINK("http://evil","x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '＝1+1'];

describe('one writer for CSV and XLSX: formula-safe, Excel-friendly, streamed', () => {
  it('formulaSafe prefixes every formula trigger and leaves plain text and plain numbers alone', () => {
    for (const h of HOSTILE) expect(formulaSafe(h)).toBe(`'${h}`);
    expect(['-5', '+1.5e3', '黑金客户', 'a=b', '', "'already"].map(formulaSafe)).toEqual(['-5', '+1.5e3', '黑金客户', 'a=b', '', "'already"]);
  });

  it('CSV: BOM, header, hostile cells neutralised, numbers and booleans as written, null empty, dates ISO', async () => {
    const text = (
      await bytes(
        csvStream({
          header: ['name', 'n', 'ok', 'at', 'none'],
          rows: [...HOSTILE.map((h) => [h, -1.5, true, new Date('2026-01-31T00:00:00Z'), null]), ['客户, "甲"', 0, false, null, undefined]],
        }),
      )
    ).toString('utf8');
    expect(text.startsWith('\uFEFFname,n,ok,at,none\n')).toBe(true);
    const lines = text.slice(1).split('\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"",""x"")",-1.5,true,2026-01-31T00:00:00.000Z,`);
    expect(lines[2]).toBe("'+1+2,-1.5,true,2026-01-31T00:00:00.000Z,");
    expect(lines[4]).toBe("'@SUM(A1),-1.5,true,2026-01-31T00:00:00.000Z,");
    expect(lines[5]).toBe("'\tcmd,-1.5,true,2026-01-31T00:00:00.000Z,");
    expect(lines[6].startsWith(`"'\rcmd"`)).toBe(true);
    expect(lines[8]).toBe('"客户, ""甲""",0,false,,');
  });

  it('CSV: every line is the one csv-stringify writes for its cells (quotes, commas, line breaks, empty, Chinese)', async () => {
    const alphabet = ['a', ',', '"', '\n', '\r', ' ', '客', '=', '-', '1', ''];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cell = () => Array.from({ length: Math.floor(next() * 5) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const rows = Array.from({ length: 5000 }, () => [cell(), cell(), cell()]);
    const text = (await bytes(csvStream({ header: ['a', 'b,c', 'd"'], rows }))).toString('utf8');
    expect(text).toBe('\uFEFF' + stringify([['a', 'b,c', 'd"'], ...rows.map((r) => r.map(formulaSafe))]));
  });

  it('XLSX: text neutralised, numbers stay numbers, booleans and dates typed', async () => {
    async function* rows() {
      for (const h of HOSTILE) yield [h, 1_000_000, true, new Date('2026-01-31T00:00:00Z')];
      yield ['plain', 999_999.99, false, null];
    }
    const file = await bytes(xlsxStream({ header: ['name', 'assets', 'ok', 'at'], rows: rows(), sheetName: 'customers' }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('customers');
    expect(sheet).toBeDefined();
    const values = (sheet as ExcelJS.Worksheet).getSheetValues().filter(Boolean) as ExcelJS.CellValue[][];
    expect(values[0].slice(1)).toEqual(['name', 'assets', 'ok', 'at']);
    HOSTILE.forEach((h, i) => {
      const [, name, assets, ok, at] = values[i + 1];
      expect(name).toBe(`'${h.replace('\r', '\n')}`); // XML reads a stored CR back as LF
      expect(assets).toBe(1_000_000);
      expect(ok).toBe(true);
      expect(at).toEqual(new Date('2026-01-31T00:00:00Z'));
    });
    expect(values[HOSTILE.length + 1].slice(1, 4)).toEqual(['plain', 999_999.99, false]);
  });

  it('streams a large table without building it first', async () => {
    let produced = 0;
    function* rows() {
      for (let i = 0; i < 200_000; i++) {
        produced++;
        yield [`C${i}`, i];
      }
    }
    const stream = csvStream({ header: ['customerId', 'n'], rows: rows() });
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(first.length).toBeGreaterThan(0);
    expect(produced).toBeLessThan(200_000); // the first bytes came out before the last row was made
    stream.destroy();
  });
});
