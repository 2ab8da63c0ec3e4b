import type { Condition, FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';

/** Numbers a definition compares each fact with, to centre synthetic values on the thresholds. */
function thresholds(definition: PolicyDefinition): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const visit = (c: Condition | undefined) => {
    if (!c) return;
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if ('fact' in c) {
      const values = (Array.isArray(c.value) ? c.value : [c.value]).filter((v): v is number => typeof v === 'number');
      out.set(c.fact, [...(out.get(c.fact) ?? []), ...values]);
    }
  };
  visit(definition.eligibility);
  Object.values(definition.conditions ?? {}).forEach(visit);
  definition.tiers.forEach((t) => visit(t.when));
  (definition.scores ?? []).forEach((s) => {
    s.components.forEach((c) => 'when' in c && visit(c.when));
    (s.multipliers ?? []).forEach((m) => visit(m.when));
  });
  return out;
}

/** Share of synthetic customers who pass the eligibility check's plain `equal` tests (valid ID and the like). */
const ELIGIBLE_SHARE = 0.95;

/**
 * The values the eligibility check tests with `equal` (e.g. hasValidId = true), by fact: a synthetic
 * population should mostly pass it, as real customers do, or half would come out "not rated".
 */
function eligibleValues(definition: PolicyDefinition): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (c: Condition | undefined) => {
    if (!c) return;
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('condition' in c) visit(definition.conditions?.[c.condition]);
    else if ('fact' in c && c.operator === 'equal' && (typeof c.value === 'boolean' || typeof c.value === 'string')) out.set(c.fact, c.value);
  };
  visit(definition.eligibility);
  return out;
}

/** A small deterministic PRNG (mulberry32) so a seed gives the same dataset every time. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic customers for the facts a definition uses: numbers spread log-uniformly up to twice the
 * largest threshold (so every band gets customers), enums and booleans uniformly — except that 95%
 * pass the eligibility check's `equal` tests — and dates in the last 3 years.
 */
export function syntheticRows(definition: PolicyDefinition, facts: FactDefinition[], count: number, seed = 1): Record<string, unknown>[] {
  const next = random(seed);
  const limits = thresholds(definition);
  const eligible = eligibleValues(definition);
  const used = facts.filter((f) => limits.has(f.key) || JSON.stringify(definition).includes(`"${f.key}"`));
  const now = Date.UTC(2026, 0, 1);
  const value = (f: FactDefinition): unknown => {
    if (eligible.has(f.key) && next() < ELIGIBLE_SHARE) return eligible.get(f.key);
    const max = Math.max(10, ...(limits.get(f.key) ?? [100]).map(Math.abs)) * 2;
    switch (f.type) {
      case 'number':
        return Math.round(Math.exp(next() * Math.log(max + 1)) - 1);
      case 'integer':
        return Math.floor(Math.exp(next() * Math.log(max + 1)) - 1);
      case 'boolean':
        return next() < 0.5;
      case 'enum':
        return f.enumValues?.length ? f.enumValues[Math.floor(next() * f.enumValues.length)] : '';
      case 'string[]':
        return (f.enumValues ?? []).filter(() => next() < 0.3);
      case 'date':
        return new Date(now - Math.floor(next() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
      default:
        return `S${Math.floor(next() * 10)}`;
    }
  };
  return Array.from({ length: count }, (_, i) => {
    const row: Record<string, unknown> = { customerId: `SYN-${String(i + 1).padStart(6, '0')}` };
    for (const f of used) row[f.key] = value(f);
    return row;
  });
}

const ID_NAMES = ['customerid', 'customer_id', 'customer id', 'id', '客户号', '客户编号', '客户id'];

/** The header cell of a CSV's first line that names the customer id, if any (case and BOM ignored). */
export function guessIdColumn(head: string): string | undefined {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return first
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .find((c) => ID_NAMES.includes(c.toLowerCase()));
}
