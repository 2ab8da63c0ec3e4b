import { actionsFor, effectiveInstant } from './actions';

describe('workflow actions: retirement and the effective instant', () => {
  it('offers the second approver approve / keep once a retirement is asked for; an admin may only keep it', () => {
    expect(actionsFor('published', ['approver'])).toEqual(['retire']);
    const asked = { retireRequest: { requestedBy: 'anna', requestedAt: '2026-12-01T00:00:00Z', comment: null } };
    expect(actionsFor('published', ['approver'], asked)).toEqual(['approve-retirement', 'reject-retirement']);
    expect(actionsFor('scheduled', ['admin'], asked)).toEqual(['reject-retirement', 'new-draft']);
    expect(actionsFor('draft', ['approver'], asked)).toEqual([]);
    // whoever asked may withdraw the request, not approve it
    expect(actionsFor('published', ['approver'], asked, 'anna')).toEqual(['reject-retirement']);
  });

  it('sends no effective date for the minute that has started (the server publishes now), the chosen instant otherwise', () => {
    const now = Date.parse('2026-12-01T10:07:30');
    expect(effectiveInstant('2026-12-01T10:07', now)).toBeUndefined();
    expect(effectiveInstant('2026-12-01T10:08', now)).toBe(new Date('2026-12-01T10:08').toISOString());
    // an earlier minute is sent as chosen: the API refuses it with the reason
    expect(effectiveInstant('2026-12-01T10:05', now)).toBe(new Date('2026-12-01T10:05').toISOString());
  });
});
