import type { FactDefinition, FactType } from '@tierwise/policy-engine';
import type { ErrorDetail } from '../common/errors/app.exception';
import { DatasetException, DatasetExceptionCode } from './dataset.exception';

/** One column of a dataset: the header as given and the catalog fact it holds. */
export interface DatasetColumn {
  name: string;
  fact: string;
  type: FactType;
}

export interface ColumnPlan {
  /** Mapped columns, with their position in the file's records. */
  columns: (DatasetColumn & { index: number })[];
  /** Position of the customer id column, or -1. */
  idIndex: number;
  idColumn: string | null;
  /** Headers left out (only with unknownColumns=ignore). */
  ignored: string[];
}

export interface MappingOptions {
  /** header → fact key, for headers that match no fact by key or label. */
  mapping?: Record<string, string>;
  /** The header of the customer id column; default: the first of ID_HEADERS present. */
  idColumn?: string;
  unknownColumns: 'reject' | 'ignore';
}

/** Headers taken as the customer id when no idColumn is given (compared case-insensitively). */
export const ID_HEADERS = ['customerId', 'customer_id', 'customer id', 'id', '客户号', '客户编号', '客户id', '客户代码'];

/**
 * Match headers to catalog facts: an explicit mapping first, then the fact key (exact, then
 * case-insensitive), then the Chinese label, then the English label (case-insensitive) — so a
 * Chinese Excel export whose headers are 日均综合金融资产, 所属区域 … maps without configuration.
 * Empty, duplicate, unknown or ambiguous headers (a label two facts share), and two headers for one
 * fact, are 422 with every problem.
 */
export function resolveColumns(rawHeaders: readonly string[], facts: FactDefinition[], options: MappingOptions): ColumnPlan {
  const headers = rawHeaders.map((h) => h.trim());
  const problems: ErrorDetail[] = [];
  const byKey = new Map(facts.map((f) => [f.key, f]));
  // Folded key or label → every fact it names: a label two facts share is ambiguous, never guessed.
  const byFolded = new Map<string, FactDefinition[]>();
  for (const f of facts) {
    for (const name of [f.key, f.label, f.labelEn]) {
      if (!name) continue;
      const named = byFolded.get(name.toLowerCase()) ?? [];
      if (!named.includes(f)) named.push(f);
      byFolded.set(name.toLowerCase(), named);
    }
  }
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    if (h === '') problems.push({ path: `columns[${i}]`, message: 'has no name' });
    else if (seen.has(h)) problems.push({ path: `columns.${h}`, message: 'appears twice' });
    seen.add(h);
  });

  let idIndex = -1;
  if (options.idColumn !== undefined) {
    idIndex = headers.indexOf(options.idColumn.trim());
    if (idIndex === -1) problems.push({ path: 'idColumn', message: `no column named ${options.idColumn.slice(0, 64)}` });
  } else {
    const ids = ID_HEADERS.map((x) => x.toLowerCase());
    idIndex = headers.findIndex((h) => ids.includes(h.toLowerCase()) && !(options.mapping && h in options.mapping));
  }

  const mapping = options.mapping ?? {};
  for (const [header, key] of Object.entries(mapping)) {
    if (!headers.includes(header.trim())) problems.push({ path: `mapping.${header}`, message: 'no such column in the file' });
    if (!byKey.has(key)) problems.push({ path: `mapping.${header}`, message: `no fact ${key} in the catalog` });
  }

  const columns: ColumnPlan['columns'] = [];
  const ignored: string[] = [];
  const factTaken = new Map<string, string>();
  headers.forEach((h, index) => {
    if (index === idIndex || h === '') return;
    const explicit = Object.prototype.hasOwnProperty.call(mapping, h) ? byKey.get(mapping[h]) : undefined;
    const folded = byFolded.get(h.toLowerCase()) ?? [];
    if (!explicit && !byKey.has(h) && folded.length > 1) {
      problems.push({
        path: `columns.${h}`,
        message: `could be any of the facts ${folded.map((x) => x.key).join(', ')} (same name); say which with \`mapping\``,
      });
      return;
    }
    const f = explicit ?? byKey.get(h) ?? folded[0];
    if (!f) {
      if (options.unknownColumns === 'ignore') ignored.push(h);
      else
        problems.push({
          path: `columns.${h}`,
          message: 'matches no fact in the catalog (by key or label); map it with `mapping`, or send unknownColumns=ignore',
        });
      return;
    }
    const other = factTaken.get(f.key);
    if (other !== undefined) {
      problems.push({ path: `columns.${h}`, message: `holds fact ${f.key}, like column ${other}` });
      return;
    }
    factTaken.set(f.key, h);
    columns.push({ name: h, fact: f.key, type: f.type, index });
  });

  if (problems.length) {
    throw new DatasetException(DatasetExceptionCode.BadColumns, `The columns do not match the fact catalog: ${problems.length} problem(s)`, problems);
  }
  if (columns.length === 0) {
    throw new DatasetException(DatasetExceptionCode.BadColumns, 'The file has no column that holds a fact', [{ path: 'columns', message: 'no fact columns' }]);
  }
  return { columns, idIndex, idColumn: idIndex === -1 ? null : headers[idIndex], ignored };
}
