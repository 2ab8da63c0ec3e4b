/** Keys of facts, tiers, scores, named conditions, benefits and packages. */
export const KEY_PATTERN = /^(?!(?:constructor|prototype)$)[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Object keys that can poison prototypes; refused anywhere in a definition. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isValidKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // realm-independent (structuredClone under jest, worker threads): Object.prototype of any realm, or null
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** A fact value that counts as missing: absent, undefined or null. */
export function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Path segment for a property: `.key` for simple keys, `["odd key"]` otherwise. */
export function propPath(base: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}
