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

/** The longest time, in ms, the event loop went without running a timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
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
    const stall = await longestStall(async () => {
      await explainer.prefetch(rows);
      await explainer.explainAll(new Map([[0, rows]]));
    });
    // Unbroken, explaining these rows holds the thread for over a second; row by row, a few ms at a time.
    expect(stall).toBeLessThan(250);

    const fresh = new SampleExplainer(spec);
    const [first] = rows;
    const explained = await fresh.explainRow(first);
    expect(await explainer.explainRow(first)).toEqual(explained);
    expect(explained.explanation.en).toEqual(expect.arrayContaining([expect.any(String)]));
  });
});
