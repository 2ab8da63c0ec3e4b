/** Paths into a policy definition, as arrays (`['tiers', 0, 'when', 'any', 1]`) and as the engine writes them (`tiers[0].when.any[1]`). */
export type Path = readonly (string | number)[];

export const pathToString = (path: Path): string =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

export function getIn(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (!isContainer(node)) return undefined;
    node = Array.isArray(node) ? node[part as number] : node[part as string];
  }
  return node;
}

/**
 * A copy of `root` with `value` at `path`; every other object is shared and key order is kept,
 * so untouched parts of a definition serialise exactly as before. `undefined` removes the key.
 */
export function setIn<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const node: unknown = root;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[head as number] = setIn(node[head as number], rest, value);
    return copy as T;
  }
  const record = (isContainer(node) ? node : {}) as Record<string, unknown>;
  const next = setIn(record[head as string], rest, value);
  if (next === undefined) {
    const { [head as string]: _removed, ...others } = record;
    return others as T;
  }
  return { ...record, [head as string]: next } as T;
}

/** Moves the array item at `from` to `to` (clamped), returning a new array. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item);
  return copy;
}

export const removeItem = <T>(items: readonly T[], index: number): T[] => items.filter((_, i) => i !== index);
