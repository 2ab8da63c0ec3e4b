/** Rating cycle periods (rating/cycle-periods.ts): monthly, quarterly, yearly spans and their deadlines. */
import { deadlineOf, nextPeriod, periodOf } from '../../src/rating/cycle-periods';

describe('rating cycle periods', () => {
  it('finds the period containing an instant', () => {
    expect(periodOf('monthly', new Date('2026-02-14T23:59:59Z'))).toEqual({ label: '2026-02', start: '2026-02-01', end: '2026-02-28' });
    expect(periodOf('monthly', new Date('2024-02-29T00:00:00Z'))).toEqual({ label: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(periodOf('quarterly', new Date('2026-11-30T12:00:00Z'))).toEqual({ label: '2026-Q4', start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('quarterly', new Date('2026-01-01T00:00:00Z'))).toEqual({ label: '2026-Q1', start: '2026-01-01', end: '2026-03-31' });
    expect(periodOf('yearly', new Date('2026-07-01T00:00:00Z'))).toEqual({ label: '2026', start: '2026-01-01', end: '2026-12-31' });
  });

  it('yearly with no extra days is "finished before 1 January"; monthly + 10 is by the 11th', () => {
    expect(deadlineOf(periodOf('yearly', new Date('2026-03-01T00:00:00Z')), 0).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(deadlineOf(periodOf('monthly', new Date('2026-12-05T00:00:00Z')), 10).toISOString()).toBe('2027-01-11T00:00:00.000Z');
    expect(deadlineOf(periodOf('quarterly', new Date('2026-05-05T00:00:00Z')), 30).toISOString()).toBe('2026-07-31T00:00:00.000Z');
  });

  it('steps to the next period across year ends', () => {
    expect(nextPeriod('monthly', periodOf('monthly', new Date('2026-12-31T00:00:00Z'))).label).toBe('2027-01');
    expect(nextPeriod('quarterly', periodOf('quarterly', new Date('2026-12-31T00:00:00Z'))).label).toBe('2027-Q1');
    expect(nextPeriod('yearly', periodOf('yearly', new Date('2026-12-31T00:00:00Z'))).label).toBe('2027');
  });
});
