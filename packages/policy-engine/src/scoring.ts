/** Scorecard arithmetic shared by the json-rules-engine evaluator and the compiled one. */

/** Round half away from zero to `places` decimals, after removing binary noise (84.00000000000001 → 84). */
function roundHalfAway(x: number, places: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** places;
  const m = Math.abs(x) * scale;
  if (!Number.isFinite(m) || m >= 1e21) return x;
  const r = Math.round(Number(m.toPrecision(15)));
  const out = (Math.sign(x) * r) / scale;
  return out === 0 ? 0 : out;
}

/**
 * A score's final value: first to 10 decimal places (so (90×0.5 + 70×0.5)×1.05 is exactly 84),
 * then to the scorecard's `round` places when given. Half away from zero.
 */
export function roundScore(x: number, places?: number): number {
  const clean = roundHalfAway(x, 10);
  return places === undefined || places >= 10 ? clean : roundHalfAway(clean, places);
}

/** A usable number for a weighted component: a finite number; anything else is "missing" and contributes 0. */
export function weightedValue(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
