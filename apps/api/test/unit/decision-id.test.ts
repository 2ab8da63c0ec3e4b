/**
 * A decision's id (decision-id.ts) is a UUIDv7 of the decision's instant: a UUID every id check accepts, its first 48
 * bits the instant's Unix milliseconds, so ids sort (as text and as PostgreSQL's uuid order, byte by byte) in the order
 * decisions were made, and unique however many share a millisecond.
 */
import { uuidParam } from '../../src/common/validation';
import { decisionId } from '../../src/evaluation/decision-id';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('decisionId', () => {
  it('is a version 7, RFC 9562 variant UUID carrying its millisecond, accepted as a UUID by the API', () => {
    for (const ms of [0, 1, Date.UTC(2026, 11, 3, 14, 0, 0, 123), 2 ** 48 - 1]) {
      const id = decisionId(ms);
      expect(id).toMatch(V7);
      expect(msOf(id)).toBe(ms);
      expect(uuidParam.safeParse(id).success).toBe(true);
    }
  });

  it('sorts after every id of an earlier millisecond', () => {
    const t = Date.UTC(2026, 11, 3);
    const ids = Array.from({ length: 5_000 }, (_, i) => decisionId(t + Math.floor(i / 1_000)));
    for (let i = 1_000; i < ids.length; i++) expect(ids[i] > ids[i - 1 - (i % 1_000)]).toBe(true);
  });

  it('gives 200,000 distinct ids in one millisecond', () => {
    const t = Date.UTC(2026, 11, 3);
    const ids = new Set(Array.from({ length: 200_000 }, () => decisionId(t)));
    expect(ids.size).toBe(200_000);
  });

  it('refuses an instant a UUIDv7 cannot carry', () => {
    for (const ms of [-1, 2 ** 48, 0.5, NaN]) expect(() => decisionId(ms)).toThrow(RangeError);
  });
});
