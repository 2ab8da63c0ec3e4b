/**
 * JSON text of single values, byte for byte what JSON.stringify writes, without its call where the answer is plain:
 * a number is its ToString (JSON.stringify's own rule for finite numbers: -0 → "0", 1e21 → "1e+21"; NaN and
 * ±Infinity → null), a string without quote, backslash, control character or surrogate is itself between quotes.
 * Anything else goes through JSON.stringify. For writers of JSON that is served in bulk (the trace's text,
 * compile-trace-json.ts; the API's answers), where a call of JSON.stringify per value was most of the cost.
 */

/** JSON.stringify writes the string as it is between quotes: no quote, backslash, control character or surrogate. */
function verbatim(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** JSON.stringify(s) for a string. */
export function jsonString(s: string): string {
  return verbatim(s) ? `"${s}"` : JSON.stringify(s);
}

/** JSON.stringify(n) for a number. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** JSON.stringify(x): undefined where it leaves a member out (undefined, a function, a symbol). */
export function jsonValue(x: unknown): string | undefined {
  switch (typeof x) {
    case 'number':
      return jsonNumber(x);
    case 'boolean':
      return x ? 'true' : 'false';
    case 'string':
      return jsonString(x);
    default:
      return JSON.stringify(x);
  }
}
