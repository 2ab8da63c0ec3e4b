/**
 * Date handling for the date operators. A date fact is an ISO string: `YYYY-MM-DD`, or a full
 * ISO date-time (`YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`). Date operators compare calendar
 * days as written: the `YYYY-MM-DD` part, ignoring time of day and zone, so "2021-05-01T23:30+08:00"
 * is 1 May. A JavaScript `Date` counts by its UTC calendar day.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MS_PER_DAY = 86_400_000;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar day of a date value as a day number, or null when it is not a valid date. */
export function parseDay(value: unknown): number | null {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const t = (value as Date).getTime();
    return Number.isFinite(t) ? Math.floor(t / MS_PER_DAY) : null;
  }
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) {
    return null;
  }
  return daysFromCivil(y, mo, d);
}

export function isDateValue(value: unknown): boolean {
  return parseDay(value) !== null;
}

/** Today's UTC calendar day. */
export function todayDay(now: number = Date.now()): number {
  return Math.floor(now / MS_PER_DAY);
}

/** Day number back to `YYYY-MM-DD` (for traces and explanations). */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * "Today" for an evaluation, as a day number: an `asOf` date in the input facts, else the call's
 * option, else the evaluator's option, else the current UTC date.
 */
export function resolveAsOfDay(input: object, ...fallbacks: (string | Date | undefined)[]): number {
  if (Object.prototype.hasOwnProperty.call(input, 'asOf')) {
    const d = parseDay((input as Record<string, unknown>).asOf);
    if (d !== null) return d;
  }
  for (const f of fallbacks) {
    if (f === undefined) continue;
    const d = parseDay(f);
    if (d !== null) return d;
  }
  return todayDay();
}
