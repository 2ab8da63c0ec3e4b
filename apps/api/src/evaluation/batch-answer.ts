/**
 * The batch answer (contract `BatchEvaluation`) as bytes: byte for byte what the former
 * `{"policy":…,"results":[${parts.join(',')}]}` string gave, each result written by answer.ts's `evaluationMembers`.
 * Batch-specific, beside answer.ts (issue 17 target 2, by profile):
 * - the results are written in slices of BATCH_SLICE customers, each slice encoded to UTF-8 at once, and the answer is
 *   one Buffer: Fastify then knows its length instead of measuring a 10,000-result string (Buffer.byteLength was ~10 %
 *   of a batch's busy time) and no single string of several MB is built, flattened and kept;
 * - the caller yields between slices (the decision log's write, started before, progresses meanwhile);
 * - the customer ids are quoted without JSON.stringify where it would only add the quotes (answer.ts's `quoted`, which
 *   also writes the decision ids; `evaluatedAt` there is serialised once per millisecond).
 */
import type { EvaluationResult, Facts } from '@tierwise/policy-engine';
import type { PreparedVersion } from '../policies/evaluator-cache';
import { evaluationMembers, quoted } from './answer';
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
}

/** Writes the answer: `slice(from, to)` gives results [from, to) as bytes; `head` and `tail` frame them. */
export function batchAnswerWriter(o: BatchAnswerOptions) {
  const trace = o.include?.trace;
  const next = o.include?.next;
  return {
    head: Buffer.from(`{"policy":${JSON.stringify({ key: o.policyKey, versionId: o.version.id, number: o.version.number })},"results":[`),
    tail: Buffer.from(']}'),
    slice(results: readonly BatchResult[], from: number, to: number): Buffer {
      let out = '';
      for (let i = from; i < to; i++) {
        const x = results[i];
        const members = evaluationMembers(x.p, o.policyKey, x.r, x.facts, {
          decisionId: x.decisionId,
          evaluatedAt: x.evaluatedAt,
          explain: o.explain,
          rolloutStep: x.rolloutStep,
          cutoffs: x.cutoffs,
          trace,
          next,
        });
        out += `${i === 0 ? '' : ','}{"customerId":${x.customerId === undefined ? 'null' : quoted(x.customerId)},${members}}`;
      }
      return Buffer.from(out);
    },
  };
}
