import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConditionTrace, FactSensitivity, TraceEntry } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import type { Role } from '../common/access/roles';

/**
 * Customer data protection: each fact has a sensitivity class in the catalog; a reader sees the
 * values of the classes their roles need, and `***` for the others — in dataset previews,
 * simulation samples and logged decisions (inputs and trace). Explanations quote the values they
 * explain, so an explanation that would show a masked value is withheld (`explanationWithheld`).
 *
 * | role                      | public | internal | sensitive |
 * |---------------------------|--------|----------|-----------|
 * | compliance                | ✓      | ✓        | ✓         |  investigations, disputes, regulators
 * | admin, author, approver   | ✓      | ✓        | ***       |  design and review rules, not read personal data
 * | viewer                    | ✓      | ***      | ***       |
 * | service                   | evaluates only: reads nothing back                        |
 *
 * A fact missing from the catalog (deleted since, or a dataset column kept as it was) counts as
 * `internal`. The roles of a user combine: the widest wins. Scores and tiers are not masked.
 */
export const MASK = '***';
export const DEFAULT_SENSITIVITY: FactSensitivity = 'internal';

const VISIBLE: Record<Role, readonly FactSensitivity[]> = {
  compliance: ['public', 'internal', 'sensitive'],
  admin: ['public', 'internal'],
  author: ['public', 'internal'],
  approver: ['public', 'internal'],
  viewer: ['public'],
  service: [],
};

export function visibleClasses(roles: readonly Role[]): Set<FactSensitivity> {
  return new Set(roles.flatMap((r) => VISIBLE[r] ?? []));
}

/** Masks one reader's view: `hidden(fact)` says whether that fact's values are withheld. */
export class FactMasker {
  constructor(
    private readonly sensitivity: ReadonlyMap<string, FactSensitivity>,
    private readonly visible: ReadonlySet<FactSensitivity>,
  ) {}

  hidden(fact: string): boolean {
    return !this.visible.has(this.sensitivity.get(fact) ?? DEFAULT_SENSITIVITY);
  }

  /** A copy with hidden values replaced by `***` (null stays null: absence is not a value); `masked` lists the keys. */
  facts<T extends Record<string, unknown>>(values: T, keep: readonly string[] = []): { values: T; masked: string[] } {
    const out: Record<string, unknown> = { ...values };
    const masked: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (keep.includes(k) || v === null || v === undefined || !this.hidden(k)) continue;
      out[k] = MASK;
      masked.push(k);
    }
    return { values: out as T, masked };
  }

  private condition(c: ConditionTrace, masked: Set<string>): ConditionTrace {
    if (c.type === 'leaf') {
      const own = this.hidden(c.fact) && c.factValue !== null && c.factValue !== undefined;
      const other = c.valueFact !== undefined && this.hidden(c.valueFact);
      if (own) masked.add(c.fact);
      if (other) masked.add(c.valueFact as string);
      return { ...c, ...(own ? { factValue: MASK } : {}), ...(other ? { value: MASK } : {}) };
    }
    return { ...c, children: c.children.map((x) => this.condition(x, masked)) };
  }

  /** The trace with every value seen of a hidden fact masked; `masked` lists the facts concerned. */
  trace(entries: readonly TraceEntry[]): { trace: TraceEntry[]; masked: string[] } {
    const masked = new Set<string>();
    const trace = entries.map((e): TraceEntry => {
      if (e.kind === 'score') {
        return {
          ...e,
          components: e.components.map((c) => {
            const withCondition = c.condition ? { ...c, condition: this.condition(c.condition, masked) } : c;
            if (c.fact && this.hidden(c.fact) && c.factValue !== null && c.factValue !== undefined) {
              masked.add(c.fact);
              return { ...withCondition, factValue: MASK };
            }
            return withCondition;
          }),
          multipliers: e.multipliers.map((m) => ({ ...m, condition: this.condition(m.condition, masked) })),
        };
      }
      return e.condition ? { ...e, condition: this.condition(e.condition, masked) } : e;
    });
    return { trace, masked: [...masked] };
  }
}

@Injectable()
export class FactMaskingService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The masker for a reader with these roles, from the catalog as it is now. */
  async forRoles(roles: readonly Role[]): Promise<FactMasker> {
    const rows: { key: string; sensitivity: FactSensitivity }[] = await this.ds.query('SELECT key, sensitivity FROM fact');
    return new FactMasker(new Map(rows.map((r) => [r.key, r.sensitivity])), visibleClasses(roles));
  }
}
