/** Intervals over the reals (or the integers) for the ladder lint. */

export interface Interval {
  lo: number;
  loInc: boolean;
  hi: number;
  hiInc: boolean;
}

export const FULL: Interval = { lo: -Infinity, loInc: false, hi: Infinity, hiInc: false };

export function isEmpty(iv: Interval): boolean {
  return iv.lo > iv.hi || (iv.lo === iv.hi && !(iv.loInc && iv.hiInc));
}

export function intersect(a: Interval, b: Interval): Interval {
  let lo = a.lo;
  let loInc = a.loInc;
  if (b.lo > lo || (b.lo === lo && !b.loInc)) {
    lo = b.lo;
    loInc = b.loInc;
  }
  let hi = a.hi;
  let hiInc = a.hiInc;
  if (b.hi < hi || (b.hi === hi && !b.hiInc)) {
    hi = b.hi;
    hiInc = b.hiInc;
  }
  return { lo, loInc, hi, hiInc };
}

/** On an integer fact, an interval as closed integer bounds (infinite ends stay open). */
export function toIntegers(iv: Interval): Interval {
  const lo = iv.lo === -Infinity ? -Infinity : iv.loInc ? Math.ceil(iv.lo) : Math.floor(iv.lo) + 1;
  const hi = iv.hi === Infinity ? Infinity : iv.hiInc ? Math.floor(iv.hi) : Math.ceil(iv.hi) - 1;
  return { lo, loInc: Number.isFinite(lo), hi, hiInc: Number.isFinite(hi) };
}

function norm(iv: Interval, integer: boolean): Interval {
  return integer ? toIntegers(iv) : iv;
}

/** Sorted, merged union. */
export function union(ivs: readonly Interval[], integer: boolean): Interval[] {
  const list = ivs.map((iv) => norm(iv, integer)).filter((iv) => !isEmpty(iv));
  list.sort((a, b) => a.lo - b.lo || (a.loInc === b.loInc ? 0 : a.loInc ? -1 : 1));
  const out: Interval[] = [];
  for (const iv of list) {
    const cur = out[out.length - 1];
    const touches =
      cur !== undefined && (iv.lo < cur.hi || (iv.lo === cur.hi && (iv.loInc || cur.hiInc)) || (integer && Number.isFinite(cur.hi) && iv.lo === cur.hi + 1));
    if (!touches) {
      out.push({ ...iv });
    } else if (iv.hi > cur.hi || (iv.hi === cur.hi && iv.hiInc)) {
      cur.hi = iv.hi;
      cur.hiInc = iv.hiInc;
    }
  }
  return out;
}

/** The parts of `domain` not covered by `ivs`. */
export function complement(ivs: readonly Interval[], domain: Interval, integer: boolean): Interval[] {
  const d = norm(domain, integer);
  if (isEmpty(d)) return [];
  const covered = union(ivs, integer)
    .map((iv) => intersect(iv, d))
    .filter((iv) => !isEmpty(iv));
  const gaps: Interval[] = [];
  let cursor: Interval = { ...d };
  for (const iv of covered) {
    const before: Interval = { lo: cursor.lo, loInc: cursor.loInc, hi: iv.lo, hiInc: !iv.loInc };
    const b = norm(before, integer);
    if (!isEmpty(b)) gaps.push(b);
    cursor = { lo: iv.hi, loInc: !iv.hiInc, hi: d.hi, hiInc: d.hiInc };
    if (integer) cursor = toIntegers(cursor);
  }
  if (!isEmpty(norm(cursor, integer))) gaps.push(norm(cursor, integer));
  return gaps;
}

export function covers(ivs: readonly Interval[], target: Interval, integer: boolean): boolean {
  return complement(ivs, target, integer).length === 0;
}

export function isSubset(inner: Interval, outer: Interval, integer: boolean): boolean {
  const i = norm(inner, integer);
  if (isEmpty(i)) return true;
  const o = norm(outer, integer);
  const loOk = o.lo < i.lo || (o.lo === i.lo && (o.loInc || !i.loInc));
  const hiOk = o.hi > i.hi || (o.hi === i.hi && (o.hiInc || !i.hiInc));
  return loOk && hiOk;
}
