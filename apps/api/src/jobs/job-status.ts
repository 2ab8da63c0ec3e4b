/**
 * Statuses of a long job as one typed set with its transitions in one place. Every status change
 * of a run is an `UPDATE … WHERE status = ANY(<the statuses it may come from>)` built from this
 * table (see job-store.ts), so a transition that is not listed here cannot happen, and two
 * processes racing for one run cannot both win.
 */
export interface StatusMachine<S extends string> {
  readonly statuses: readonly S[];
  /** Statuses a run may move to from each status (a resumed run goes running → running). */
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  /** The statuses from which `to` may be reached. */
  from(to: S): S[];
  can(from: S, to: S): boolean;
  /** Statuses with no way out. */
  readonly final: readonly S[];
}

/** The phases every chunked job shares; a kind adds its own statuses after its work is done. */
export type JobPhase = 'queued' | 'running' | 'failed' | 'cancelled';
/** Statuses of a run still being worked on: claimable by a coordinator, chunks accepted. */
export const OPEN_PHASES: readonly JobPhase[] = ['queued', 'running'];

export function statusMachine<const T extends Record<string, readonly (keyof T & string)[]>>(table: T): StatusMachine<keyof T & string> {
  type S = keyof T & string;
  const transitions = table as unknown as Record<S, readonly S[]>;
  const statuses = Object.keys(transitions) as S[];
  for (const [from, tos] of Object.entries(transitions) as [S, readonly S[]][]) {
    for (const to of tos) if (!(to in transitions)) throw new Error(`status ${from} → ${to}: ${to} is not a status`);
  }
  const sources = new Map<S, S[]>(statuses.map((s) => [s, statuses.filter((f) => transitions[f].includes(s))]));
  return {
    statuses,
    transitions,
    from: (to) => sources.get(to) ?? [],
    can: (from, to) => transitions[from].includes(to),
    final: statuses.filter((s) => transitions[s].length === 0),
  };
}
