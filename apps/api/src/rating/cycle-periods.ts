/**
 * Rating cycle periods (issue 11): a policy re-rated monthly, quarterly or yearly. Each period is a
 * span of calendar days (UTC); the snapshot expected for it has its `asOf` inside the period, and the
 * run rating it must be applied before the deadline: the day after the period's last day plus
 * `deadlineDays` days, at 00:00 UTC — so a yearly cycle with `deadlineDays: 0` is "finished before
 * 1 January", a monthly one with 10 is "by the 11th of the next month".
 */
export const FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Period {
  /** `2026-11`, `2026-Q4`, `2026`. */
  label: string;
  /** First and last day, `YYYY-MM-DD`. */
  start: string;
  end: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** The period of `frequency` that contains the instant `at`. */
export function periodOf(frequency: Frequency, at: Date): Period {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  switch (frequency) {
    case 'monthly':
      return { label: `${y}-${String(m + 1).padStart(2, '0')}`, start: day(utc(y, m, 1)), end: day(utc(y, m + 1, 0)) };
    case 'quarterly': {
      const q = Math.floor(m / 3);
      return { label: `${y}-Q${q + 1}`, start: day(utc(y, q * 3, 1)), end: day(utc(y, q * 3 + 3, 0)) };
    }
    case 'yearly':
      return { label: String(y), start: day(utc(y, 0, 1)), end: day(utc(y, 11, 31)) };
  }
}

/** The period after `p` (same frequency). */
export function nextPeriod(frequency: Frequency, p: Period): Period {
  const [y, m, d] = p.end.split('-').map(Number);
  return periodOf(frequency, utc(y, m - 1, d + 1));
}

/** The instant by which the period must be rated: 00:00 UTC of the day after its end, plus `deadlineDays`. */
export function deadlineOf(p: Period, deadlineDays: number): Date {
  const [y, m, d] = p.end.split('-').map(Number);
  return utc(y, m - 1, d + 1 + deadlineDays);
}
