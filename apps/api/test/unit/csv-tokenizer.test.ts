/**
 * The fast CSV tokenizer against csv-parse (the reference), by property: the same records for any
 * well-formed document however it is split into pieces, and the same accept/refuse decision (and
 * records) for arbitrary text over CSV's special characters. Pure: no database (so a unit test: CI's second,
 * external-PostgreSQL pass of test/integration has nothing to prove with it).
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvRecord, CsvSyntaxError, CsvTokenizer } from '../../src/datasets/csv-tokenizer';

function tokenize(text: string, cuts: number[]): string[][] {
  const t = new CsvTokenizer();
  const out: CsvRecord[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= text.length) continue;
    t.push(text.slice(at, cut), out);
    at = cut;
  }
  t.push(text.slice(at), out);
  t.end(out);
  return out.map((r) => r.fields);
}

function reference(text: string): string[][] {
  return parse(text, { skip_empty_lines: true, relax_column_count: true }) as string[][];
}

const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', '惠', '城', '1', '.'), maxLength: 8 });

const docArb = fc
  .record({
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalEol: fc.boolean(),
    quoteAll: fc.boolean(),
    cuts: fc.array(fc.nat(200), { maxLength: 6 }),
  })
  // A record of one empty unquoted field is a blank line (skipped by both): keep records non-blank.
  .filter(({ rows }) => rows.every((r) => !(r.length === 1 && r[0] === '')));

function render(rows: string[][], eol: string, finalEol: boolean, quoteAll: boolean): string {
  const q = (s: string) => (quoteAll || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(',')).join(eol) + (finalEol ? eol : '');
}

describe('CSV tokenizer ≡ csv-parse', () => {
  it('gives the same records for well-formed documents, split anywhere (10,000 documents)', () => {
    fc.assert(
      fc.property(docArb, ({ rows, eol, finalEol, quoteAll, cuts }) => {
        const text = render(rows, eol, finalEol, quoteAll);
        expect(tokenize(text, cuts)).toEqual(reference(text));
        expect(tokenize(text, cuts)).toEqual(rows);
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts and refuses the same arbitrary texts, with the same records (20,000 texts)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '中'), maxLength: 30 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 4 }), (s, cuts) => {
        let mine: string[][] | Error;
        let theirs: string[][] | Error;
        try {
          mine = tokenize(s, cuts);
        } catch (e) {
          expect(e).toBeInstanceOf(CsvSyntaxError);
          mine = e as Error;
        }
        try {
          theirs = reference(s);
        } catch (e) {
          theirs = e as Error;
        }
        if (mine instanceof Error || theirs instanceof Error) {
          expect([s, mine instanceof Error]).toEqual([s, theirs instanceof Error]);
        } else {
          expect(mine).toEqual(theirs);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives the same records, lines and errors whole as fed one character at a time (the plain-line fast path ≡ the state machine; 20,000 texts)', () => {
    // One character per push never holds a complete line, so it takes the general path throughout.
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', ',', '"', '\n', '\n', '\r', '\r\n', '中'), maxLength: 40 });
    const run = (pieces: string[]) => {
      const t = new CsvTokenizer();
      const out: CsvRecord[] = [];
      try {
        for (const p of pieces) t.push(p, out);
        t.end(out);
      } catch (e) {
        if (!(e instanceof CsvSyntaxError)) throw e;
        return { out, error: [e.message, e.line] };
      }
      return { out, error: null };
    };
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 3 }), (s, cuts) => {
        const pieces: string[] = [];
        let at = 0;
        for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
          if (cut <= at || cut >= s.length) continue;
          pieces.push(s.slice(at, cut));
          at = cut;
        }
        pieces.push(s.slice(at));
        expect(run(pieces)).toEqual(run([...s]));
      }),
      { numRuns: 20_000 },
    );
  });

  it('counts lines for error messages and records, across quoted newlines and CRLF', () => {
    const t = new CsvTokenizer();
    const out: CsvRecord[] = [];
    t.push('h1,h2\r\na,"x\ny"\r\nb,c\r', out);
    t.push('\nd,"unclosed', out);
    expect(out.map((r) => [r.fields, r.line])).toEqual([
      [['h1', 'h2'], 1],
      [['a', 'x\ny'], 2],
      [['b', 'c'], 4],
    ]);
    expect(() => t.end(out)).toThrow(expect.objectContaining({ line: 5, message: expect.stringContaining('not closed') }));
  });
});
