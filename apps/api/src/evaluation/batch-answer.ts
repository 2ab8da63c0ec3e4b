/**
 * The batch answer (contract `BatchEvaluation`) as bytes: byte for byte what the former
 * `{"policy":…,"results":[${parts.join(',')}]}` string gave, each result written by answer.ts's `writeMembers` (the
 * pieces of `evaluationMembers`).
 * Batch-specific, beside answer.ts (issue 17 target 2, by profile):
 * - the answer is one Buffer, each result encoded to UTF-8 into it as soon as it is written: Fastify then knows its
 *   length instead of measuring a 10,000-result string (Buffer.byteLength was ~10 % of a batch's busy time) and no
 *   string of several MB is built, flattened and kept (a slice's rope flattened by Buffer.from was ~16 % of writing a
 *   full answer);
 * - the caller writes BATCH_SLICE results at a time and yields between slices (the decision log's write, started
 *   before, progresses meanwhile);
 * - a result's own text and the version's serialised pieces (tier, benefit package, policy: Chinese names) are
 *   encoded apart, the pieces' bytes once per batch: the result's text then stays one-byte, whose UTF-8 encoding is
 *   a copy (encoding every result as two-byte text was ~40 % of writing a full answer);
 * - the customer ids are quoted without JSON.stringify where it would only add the quotes (the engine's `jsonString`,
 *   which also writes the decision ids; `evaluatedAt` there is serialised once per millisecond).
 */
import { jsonString, type EvaluationResult, type Facts, type TraceJsonEvaluator } from '@tierwise/policy-engine';
import type { PreparedVersion } from '../policies/evaluator-cache';
import { writeMembers, type MembersOut } from './answer';
import type { InForceCutoffs } from './population-cutoffs';

/** Customers written per slice of the answer. */
export const BATCH_SLICE = 1_000;

export interface BatchResult {
  p: PreparedVersion;
  r: EvaluationResult;
  facts: Facts;
  customerId?: string;
  decisionId?: string;
  evaluatedAt?: Date;
  rolloutStep: number | null;
  cutoffs?: InForceCutoffs;
}

export interface BatchAnswerOptions {
  policyKey: string;
  /** The version in effect for everyone at the batch's instant (the answer's `policy`). */
  version: { id: string; number: number };
  explain: boolean;
  include?: { trace?: boolean; next?: boolean };
  /**
   * The version's compiled evaluator with the trace as JSON text (PreparedVersion.traceJson; one version, no
   * population conditions, no explanation): each result's trace is written from its facts as the result is written
   * (the results then carry the outcome only, `r.trace` empty) — the same bytes as JSON.stringify of the trace
   * objects, none of which is built, and no trace is held from the evaluation to the answer (holding 10,000 traces,
   * as objects or as text, was most of their cost: GC).
   */
  traceJson?: TraceJsonEvaluator;
}

/**
 * Writes the answer into one growing Buffer: `results(list, from, to)` appends results [from, to) (called slice after
 * slice, in order), `done()` closes the answer and gives its bytes. Each result's text is encoded as soon as it is
 * written: no rope of a slice's results is built, flattened and encoded at once, and no slices are concatenated.
 */
export function batchAnswerWriter(o: BatchAnswerOptions) {
  const trace = o.include?.trace;
  const next = o.include?.next;
  const tj = trace === false ? undefined : o.traceJson;
  let buf = Buffer.allocUnsafe(64 * 1024);
  let at = 0;
  const grow = (size: number) => {
    if (size <= buf.length) return;
    const grown = Buffer.allocUnsafe(size);
    buf.copy(grown, 0, 0, at);
    buf = grown;
  };
  const append = (text: string) => {
    // at most 3 UTF-8 bytes per UTF-16 unit
    if (at + 3 * text.length > buf.length) grow(Math.max(2 * buf.length, at + 3 * text.length));
    at += buf.write(text, at);
  };
  append(`{"policy":${JSON.stringify({ key: o.policyKey, versionId: o.version.id, number: o.version.number })},"results":[`);
  // a result's own text is encoded as it comes (one-byte while the customer's values are: a copy; no rope of a result
  // joined and flattened first); the fragments' UTF-8 bytes are encoded once per batch and copied
  const bytesOf = new Map<string, Buffer>();
  const out: MembersOut = {
    text: append,
    fragment(s: string) {
      let b = bytesOf.get(s);
      if (b === undefined) {
        b = Buffer.from(s);
        bytesOf.set(s, b);
      }
      if (at + b.length > buf.length) grow(Math.max(2 * buf.length, at + b.length));
      buf.set(b, at); // TypedArray#set: Buffer#copy's argument checks cost more than these few hundred bytes
      at += b.length;
    },
  };
  return {
    results(results: readonly BatchResult[], from: number, to: number): void {
      for (let i = from; i < to; i++) {
        const x = results[i];
        append(`${i === 0 ? '' : ','}{"customerId":${x.customerId === undefined ? 'null' : jsonString(x.customerId)},`);
        writeMembers(out, x.p, o.policyKey, x.r, x.facts, {
          decisionId: x.decisionId,
          evaluatedAt: x.evaluatedAt,
          explain: o.explain,
          rolloutStep: x.rolloutStep,
          cutoffs: x.cutoffs,
          trace,
          next,
          traceJson: tj?.(x.facts).traceJson,
        });
        append('}');
      }
      // after the first slice, room for the whole answer at its size so far (+10 %): one copy instead of doubling ~8 times
      if (from === 0 && to < results.length) grow(Math.ceil((at / to) * results.length * 1.1));
    },
    done(): Buffer {
      append(']}');
      return buf.subarray(0, at);
    },
  };
}
