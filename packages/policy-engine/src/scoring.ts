/** Scorecard arithmetic shared by the json-rules-engine evaluator and the compiled one. */
import type { ScoreComponent, StepBand, StepComponent } from './types';

/** A step-table component (has `steps`). */
export const isStepComponent = (c: ScoreComponent): c is StepComponent => 'steps' in c;

/** Whether `v` lies in `band` (`inclusive` says which end belongs to it). */
export function inBand(v: number, band: StepBand, inclusive: 'min' | 'max' = 'min'): boolean {
  const lo = band.min === undefined || (inclusive === 'min' ? v >= band.min : v > band.min);
  const hi = band.max === undefined || (inclusive === 'min' ? v < band.max : v <= band.max);
  return lo && hi;
}

/** The reference lookup of a step table: the index of the first band holding `v`, or -1. */
export function stepBandIndex(v: number, steps: readonly StepBand[], inclusive: 'min' | 'max' = 'min'): number {
  return steps.findIndex((b) => inBand(v, b, inclusive));
}

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
