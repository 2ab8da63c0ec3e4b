/**
 * Sample customers are explained through json-rules-engine on the API's main thread while a run goes
 * on: explaining a chunk's samples must leave the event loop free (progress ticks, HTTP answers)
 * instead of stalling it until the whole chunk is explained.
 */
import type { FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';
import { SampleExplainer } from '../../src/simulation/sample-explainer';
import type { SampleRow } from '../../src/simulation/chunk-evaluator';
import type { SimulationSpec, VersionSnapshot } from '../../src/simulation/simulation-spec';

const facts: FactDefinition[] = [
  { key: 'assets', label: '日均资产', labelEn: 'Average daily assets', type: 'number', unit: 'CNY' },
  { key: 'years', label: '开户年限', labelEn: 'Years as a customer', type: 'number' },
];
const ladder = (black: number, gold: number): PolicyDefinition => ({
  schemaVersion: 1,
  tiers: [
    {
      key: 'BLACK',
      name: '黑金客户',
      when: {
        all: [
          { fact: 'assets', operator: 'greaterThanInclusive', value: black },
          { fact: 'years', operator: 'greaterThanInclusive', value: 3 },
        ],
      },
    },
    {
      key: 'GOLD',
      name: '金卡客户',
      when: {
        any: [
          { fact: 'assets', operator: 'greaterThanInclusive', value: gold },
          { fact: 'years', operator: 'greaterThan', value: 10 },
        ],
      },
    },
    { key: 'SILVER', name: '银卡客户' },
  ],
});
const version = (id: string, definition: PolicyDefinition): VersionSnapshot => ({
  id,
  policyId: 'p',
  number: 1,
  status: 'published',
  definition,
  facts,
  packages: {},
});
const spec: SimulationSpec = {
  datasetId: 'd',
  rowCount: 0,
  chunkCount: 1,
  inputFacts: ['assets', 'years'],
  groupBy: [],
  sampleFacts: ['assets', 'years'],
  columns: [],
  asOf: '2026-05-01T00:00:00.000Z',
  baseline: version('b', ladder(1_000_000, 100_000)),
  candidate: version('c', ladder(800_000, 50_000)),
};

/**
 * The most rows `explainer` started explaining between two ticks of a 5 ms timer while `work` ran. A count of
 * rows, not a time: a loaded machine stretches every stall alike (a wall-clock bound failed at 260 ms under load 10),
 * but cannot make the loop run more rows between two timer turns. Explained unbroken, a chunk's rows all start in
 * one turn; row by row, a timer turn comes between every few.
 */
async function mostRowsBetweenTicks(explainer: SampleExplainer, work: () => Promise<unknown>): Promise<{ most: number; ticks: number }> {
  // rows asked for again (explainAll after prefetch) are answered from the explainer's memo, not explained anew
  const seen = new Set<number>();
  let started = 0;
  const explainRow = explainer.explainRow.bind(explainer);
  explainer.explainRow = (row) => {
    if (!seen.has(row.row)) {
      seen.add(row.row);
      started++;
    }
    return explainRow(row);
  };
  let atLastTick = 0;
  let most = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    most = Math.max(most, started - atLastTick);
    atLastTick = started;
    ticks++;
  }, 5);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    clearInterval(timer);
  }
  return { most: Math.max(most, started - atLastTick), ticks };
}

describe('SampleExplainer', () => {
  it("explains a chunk's samples without blocking the event loop, with the same answers", async () => {
    // More samples than a first chunk holds (20 per matrix cell), so that explaining them unbroken shows.
    const rows: SampleRow[] = Array.from({ length: 3000 }, (_v, i) => ({
      row: i + 1,
      customerId: `c${i + 1}`,
      facts: { assets: (i * 7919) % 1_500_000, years: i % 14 },
    }));
    const explainer = new SampleExplainer(spec);
    const { most, ticks } = await mostRowsBetweenTicks(explainer, async () => {
      await explainer.prefetch(rows);
      await explainer.explainAll(new Map([[0, rows]]));
    });
    // Unbroken, all 3,000 rows start in one turn of the loop (holding the thread for ~1 s); row by row, a timer
    // turn comes between every few rows (a row is well under a millisecond of json-rules-engine).
    expect(most).toBeLessThan(100);
    expect(ticks).toBeGreaterThan(10);

    const fresh = new SampleExplainer(spec);
    const [first] = rows;
    const explained = await fresh.explainRow(first);
    expect(await explainer.explainRow(first)).toEqual(explained);
    expect(explained.explanation.en).toEqual(expect.arrayContaining([expect.any(String)]));
  });
});
