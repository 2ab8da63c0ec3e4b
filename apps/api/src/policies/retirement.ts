import { EntityManager } from 'typeorm';
import { displayStatus, PolicyVersionRow } from './policy.entities';

/** A time span in which no version of the policy would be in effect: every evaluation then answers 404. */
export interface RetirementGap {
  from: Date;
  /** null: until another version is published. */
  until: Date | null;
}

/** Does retiring this version now change what is (or will be) in effect? Only then does it take two people. */
export function retirementNeedsFourEyes(v: PolicyVersionRow, now = new Date()): boolean {
  const shown = displayStatus(v, now);
  return shown === 'published' || shown === 'scheduled';
}

/**
 * The span that retiring `v` now would leave without any version in effect, or null when none.
 * - In effect now: nothing takes over from now until the next scheduled version (or ever).
 * - Scheduled: the version it was to supersede carries on instead (see `restorePredecessor`);
 *   without one, nothing is in effect from its start until the version after it.
 */
export async function retirementGap(m: EntityManager, v: PolicyVersionRow, now = new Date()): Promise<RetirementGap | null> {
  if (!retirementNeedsFourEyes(v, now) || !v.effectiveFrom) return null;
  if (v.effectiveFrom <= now) return { from: now, until: v.supersededAt };
  const predecessor = await predecessorOf(m, v);
  return predecessor ? null : { from: v.effectiveFrom, until: v.supersededAt };
}

/** The published version that `v` (scheduled) supersedes at its start. */
async function predecessorOf(m: EntityManager, v: PolicyVersionRow): Promise<string | undefined> {
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM policy_version WHERE policy_id = $1 AND status = 'published' AND id <> $2 AND superseded_at = $3 AND effective_from < $3`,
    [v.policyId, v.id, v.effectiveFrom],
  );
  return rows[0]?.id;
}

/** A scheduled version is retired: the version it would have superseded stays in effect until the one after it. */
export async function restorePredecessor(m: EntityManager, v: PolicyVersionRow, now = new Date()): Promise<void> {
  if (!v.effectiveFrom || v.effectiveFrom <= now) return;
  const predecessor = await predecessorOf(m, v);
  if (predecessor) await m.query(`UPDATE policy_version SET superseded_at = $2, updated_at = now() WHERE id = $1`, [predecessor, v.supersededAt]);
}

export function describeGap(gap: RetirementGap): string {
  return `nothing would be in effect from ${gap.from.toISOString()} ${gap.until ? `until ${gap.until.toISOString()}` : 'until another version is published'}`;
}
