/**
 * What an active override does to a tier (contract §9), shared by a rating run's chunks and the
 * overrides service: `set` pins the tier, `floor` keeps at least its tier, `ceiling` at most. With a
 * `set` the other two do not matter; `floor` and `ceiling` together clamp from both sides (a floor
 * above a ceiling is refused when requested). Ranks: 1 = best; not rated ranks below every tier.
 */
import type { Pool } from 'pg';

export const OVERRIDE_MODES = ['set', 'floor', 'ceiling'] as const;
export type OverrideMode = (typeof OVERRIDE_MODES)[number];

/** The active overrides of one customer under one policy: a tier key per mode. */
export type ActiveOverrides = Partial<Record<OverrideMode, string>>;

export interface Clamped {
  /** The official tier with the overrides applied. */
  tier: string | null;
  /** The mode that moved it away from the base tier, or null when the base tier stands. */
  by: OverrideMode | null;
}

export function clampTier(base: string | null, o: ActiveOverrides, rank: (key: string | null) => number): Clamped {
  if (o.set !== undefined) return { tier: o.set, by: o.set === base ? null : 'set' };
  let tier = base;
  let by: OverrideMode | null = null;
  if (o.floor !== undefined && rank(tier) > rank(o.floor)) {
    tier = o.floor;
    by = 'floor';
  }
  if (o.ceiling !== undefined && rank(tier) < rank(o.ceiling)) {
    tier = o.ceiling;
    by = 'ceiling';
  }
  return { tier, by };
}

/** The modes of a customer's active overrides, as stored on a staging row (`floor,ceiling`). */
export function modesOf(o: ActiveOverrides): string {
  return OVERRIDE_MODES.filter((m) => o[m] !== undefined).join(',');
}

export interface ChunkOverride {
  overrides: ActiveOverrides;
  /** The tier the customer's last rating gives, without the overrides (what the run's lifecycle starts from). */
  base: string | null;
  /** False when the customer has no base row yet (the base is then the current official tier). */
  hasBase: boolean;
}

/**
 * Active overrides of a chunk's customers (`idsJson`: their ids as a JSON list, asked for only when needed),
 * with their base tiers: one `= ANY($ids)` lookup next to the current tiers — made only when the policy has an
 * active override at all (one probe of a small index; most policies have none, most chunks none of theirs).
 * An override whose expiry has passed but which the sweep has not ended yet
 * binds no more, but its customer is still staged with the base (so the revert starts from this run).
 */
export async function loadChunkOverrides(db: Pool, policyId: string, idsJson: () => string): Promise<Map<string, ChunkOverride>> {
  const out = new Map<string, ChunkOverride>();
  const any = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM tier_override WHERE policy_id = $1 AND status = 'active') AS any`, [policyId]);
  if (!any.rows[0]?.any) return out;
  const r = await db.query<{ customer_id: string; mode: OverrideMode; tier_key: string; base_key: string | null; has_base: boolean; binds: boolean }>(
    `SELECT o.customer_id, o.mode, o.tier_key, b.tier_key AS base_key, b.customer_id IS NOT NULL AS has_base,
            (o.expires_at IS NULL OR o.expires_at > now()) AS binds
       FROM tier_override o LEFT JOIN tier_override_base b ON b.policy_id = o.policy_id AND b.customer_id = o.customer_id
      WHERE o.policy_id = $1 AND o.customer_id = ANY (ARRAY(SELECT json_array_elements_text($2::json))) AND o.status = 'active'`,
    [policyId, idsJson()],
  );
  for (const row of r.rows) {
    let c = out.get(row.customer_id);
    if (!c) {
      c = { overrides: {}, base: row.base_key, hasBase: row.has_base };
      out.set(row.customer_id, c);
    }
    if (row.binds) c.overrides[row.mode] = row.tier_key;
  }
  return out;
}
