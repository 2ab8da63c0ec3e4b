import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EvaluationError, tierOutcome } from '@tierwise/policy-engine';
import type { EvaluationResult, FastEvaluator, Facts, TraceEntry, TracedEvaluator, TraceJsonEvaluator } from '@tierwise/policy-engine';
import { PopulationCutoffsSource, type InForceCutoffs } from './population-cutoffs';
import { DataSource, In } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PolicyRow, PolicyVersionRow } from '../policies/policy.entities';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';
import { DecisionRow } from './decision.entity';
import { DecisionLogService } from './decision-log.service';
import { decisionId } from './decision-id';
import { EvaluatorCache, PreparedVersion } from '../policies/evaluator-cache';
import { PolicyEvents } from '../policies/policy-events';
import { checkFacts } from './fact-input';
import { OfficialTiers } from './official-tier';
import { Metrics } from '../metrics/metrics.service';
import { RolloutResolver, versionsAt } from './rollout-version';
import { evaluationMembers, evaluationObject, type AnswerOptions } from './answer';
import { BATCH_SLICE, batchAnswerWriter, type BatchResult } from './batch-answer';

export interface EvaluateRequest {
  policy: string;
  facts: Facts;
  customerId?: string;
  at?: Date;
  explain?: boolean;
}

export interface EvaluateBatchRequest {
  policy: string;
  customers: { customerId?: string; facts: Facts }[];
  at?: Date;
  explain?: boolean;
  /** What each result carries besides the outcome (contract `EvaluateBatchInclude`; default everything). */
  include?: { trace?: boolean; next?: boolean };
}

interface Timeline {
  policy: PolicyRow;
  versions: PolicyVersionRow[];
  /** Some version carries a regional rollout: the version is picked per customer (RolloutResolver). */
  rollout: boolean;
  /** The versions newest effectiveFrom first, so the one in effect at an instant is the first that covers it (no sort per request). */
  newestFirst: PolicyVersionRow[];
}

/** A batch's result for one customer, its decision's id and instant still to come (in its final shape from the start: no property added later). */
function batchResult(
  p: PreparedVersion,
  r: EvaluationResult,
  c: { customerId?: string; facts: Facts },
  rolloutStep: number | null,
  cutoffs: InForceCutoffs | undefined,
): BatchResult {
  return { p, r, facts: c.facts, customerId: c.customerId, decisionId: undefined, evaluatedAt: undefined, rolloutStep, cutoffs };
}

/** The trace of an outcome computed without one (never answered, never stored: see EvaluationService.outcome). */
const NO_TRACE: TraceEntry[] = [];

/** How long a policy's published timeline is cached; effective instants themselves are exact (compared per call). */
const TIMELINE_TTL_MS = 1000;

@Injectable()
export class EvaluationService {
  /** Each policy's published timeline, cached for TIMELINE_TTL_MS; concurrent callers share one load. */
  private readonly timelines = new ExpiringCache<string, Timeline>(TIMELINE_TTL_MS, (key) => this.loadTimeline(key));

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly evaluators: EvaluatorCache,
    private readonly log: DecisionLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly official: OfficialTiers,
    events: PolicyEvents,
    private readonly metrics: Metrics,
    private readonly population: PopulationCutoffsSource,
  ) {
    events.onVersionChanged(() => this.invalidate());
  }

  /** Forget cached timelines after a publish or retire in this process. */
  invalidate(): void {
    this.timelines.clear();
  }

  private async loadTimeline(key: string): Promise<Timeline> {
    const policy = await this.ds.getRepository(PolicyRow).findOneBy({ key });
    if (!policy) throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with key ${key}`, [{ path: 'policy', message: 'unknown policy' }]);
    const rows = await this.ds.getRepository(PolicyVersionRow).find({ where: { policyId: policy.id, status: In(['published', 'retired']) } });
    const versions = rows.filter((v) => v.effectiveFrom);
    const newestFirst = [...versions].sort((a, b) => (b.effectiveFrom as Date).getTime() - (a.effectiveFrom as Date).getTime());
    return { policy, versions, rollout: versions.some((v) => v.rollout?.length), newestFirst };
  }

  /** The version in effect at `at`: published, started, not yet superseded or retired. */
  async versionAt(key: string, at: Date, facts?: Facts): Promise<{ policy: PolicyRow; version: PolicyVersionRow; rolloutStep: number | null }> {
    const { policy, versions, rollout, newestFirst } = await this.timelines.get(key);
    const t = at.getTime();
    let inEffect: { version: PolicyVersionRow; rolloutStep: number | null } | null = null;
    if (rollout) inEffect = this.rollout.pick(versions, t, facts ?? {});
    else {
      // the newest started one that is neither superseded nor retired by `at` (ties keep the load order, as the stable sort did)
      const version = newestFirst.find(
        (v) => (v.effectiveFrom as Date).getTime() <= t && (!v.supersededAt || v.supersededAt.getTime() > t) && (!v.retiredAt || v.retiredAt.getTime() > t),
      );
      if (version) inEffect = { version, rolloutStep: null };
    }
    if (!inEffect) {
      throw new PolicyException(PolicyExceptionCode.NoVersionInEffect, `Policy ${key} has no version in effect at ${at.toISOString()}`, [
        { path: 'at', message: 'no version in effect' },
      ]);
    }
    return { policy, ...inEffect };
  }

  /**
   * The versions that can apply to some customer at `at` (contract §11): the one in effect for everyone
   * (null: none yet) and each newer version whose rollout has a step started by then. A job that rates a
   * whole population (a rating run) rates each customer with the one `rollout.pick` gives among these.
   */
  async versionsAt(key: string, at: Date): Promise<{ policy: PolicyRow; base: PolicyVersionRow | null; started: PolicyVersionRow[] }> {
    const { policy, versions } = await this.timelines.get(key);
    return { policy, ...versionsAt(versions, at.getTime()) };
  }

  /**
   * Which version applies to a customer at an instant under a regional rollout (contract §11): each version starts
   * for the customer at the first step whose segment their facts match, else at its effectiveFrom; the newest started
   * (and not retired) applies. One resolver (rollout-version.ts) for evaluation and rating runs.
   */
  private readonly rollout = new RolloutResolver();

  /**
   * The cut-offs a version's population conditions use at `at` (issue 16): those of the policy's last rating
   * run applied by then. None (no run applied yet) → 422 POPULATION_CUTOFFS_MISSING: a population condition
   * is never evaluated against a guessed or default population. Undefined for a version that ranks nothing.
   */
  async cutoffsFor(p: PreparedVersion, policyId: string, at: Date): Promise<InForceCutoffs | undefined> {
    if (!p.ranksPopulation) return undefined;
    const found = await this.population.find(policyId, at);
    if (!found)
      throw new PolicyException(
        PolicyExceptionCode.PopulationCutoffsMissing,
        `Version ${p.version.number} ranks customers against a population (top %, share of total, quantiles), and no rating run of this policy with cut-offs was applied by ${at.toISOString()}; apply a rating run first`,
        [{ path: 'policy', message: 'no applied rating run has frozen the cut-offs its population conditions need' }],
      );
    return found;
  }

  /** The facts checked against the version's catalog types (422 INVALID_FACTS with each path). */
  private checked(p: PreparedVersion, facts: Facts, path: string): void {
    const problems = checkFacts(facts, p.catalog.facts, path);
    if (problems.length) throw new PolicyException(PolicyExceptionCode.InvalidFacts, 'Some facts do not fit their types', problems);
  }

  /** An evaluation's failure as the answer it gives (a PolicyException), or the error itself when it is not one of the evaluator's. */
  private refusal(e: unknown, path: string, cutoffs?: InForceCutoffs): unknown {
    if (e instanceof EvaluationError && (e.code === 'population-cutoffs-missing' || e.code === 'population-group-missing')) {
      const where = e.code === 'population-group-missing' ? `${path}.${e.facts[0]}` : 'policy';
      return new PolicyException(PolicyExceptionCode.PopulationCutoffsMissing, `${e.message} (rating run ${cutoffs?.runId ?? 'none'})`, [
        { path: where, message: e.message },
      ]);
    }
    if (e instanceof EvaluationError) return new PolicyException(PolicyExceptionCode.InvalidFacts, e.message, [{ path, message: e.message }]);
    return e;
  }

  private async run(p: PreparedVersion, facts: Facts, path: string, cutoffs?: InForceCutoffs): Promise<EvaluationResult> {
    this.checked(p, facts, path);
    try {
      return await p.evaluator.evaluate(facts, cutoffs ? { cutoffs: cutoffs.cutoffs } : {});
    } catch (e) {
      throw this.refusal(e, path, cutoffs);
    }
  }

  /**
   * `run`, synchronously, with the compiled evaluator itself (`p.traced`: what `p.evaluator.evaluate` runs behind a
   * promise): a batch of 10,000 then makes no promise and no await per customer (~5–8 ms of CPU per 10,000).
   */
  private runTraced(p: PreparedVersion, traced: TracedEvaluator, facts: Facts, i: number, cutoffs?: InForceCutoffs): EvaluationResult {
    const path = `customers[${i}].facts`;
    this.checked(p, facts, path);
    try {
      return traced(facts, cutoffs ? { cutoffs: cutoffs.cutoffs } : {});
    } catch (e) {
      throw this.refusal(e, path, cutoffs);
    }
  }

  /**
   * `run`'s outcome without its trace, for a batch that answers without the trace and the explanation (which reads
   * it) or writes the trace as text while writing the answer (`p.traceJson()`, batch-answer.ts): the decision does not
   * store it either (it is re-derived on read). The facts are checked as `run` checks them; the compiled evaluator
   * without trace (`fast`, the same closures as the traced one, `p.traced`) gives the outcome synchronously — no trace
   * tree and no promise per customer.
   */
  private outcome(p: PreparedVersion, fast: FastEvaluator, facts: Facts, i: number): EvaluationResult {
    this.checked(p, facts, `customers[${i}].facts`);
    const o = fast(facts);
    const tier = o.tierIndex < 0 ? null : tierOutcome(p.definition.tiers[o.tierIndex], o.tierIndex);
    return { eligible: o.eligible, tier, scores: o.scores, trace: NO_TRACE };
  }

  private decision(
    p: PreparedVersion,
    policy: PolicyRow,
    r: EvaluationResult,
    facts: Facts,
    customerId: string | undefined,
    at: Date,
    actor: string,
    rolloutStep: number | null = null,
    cutoffRunId: string | null = null,
  ): DecisionRow {
    const evaluatedAt = new Date();
    return {
      // time-ordered (UUIDv7 of evaluatedAt): the log's primary key grows at its end (decision-id.ts)
      id: decisionId(evaluatedAt.getTime()),
      evaluatedAt,
      asOf: at,
      policyId: policy.id,
      policyKey: policy.key,
      versionId: p.version.id,
      versionNumber: p.version.number,
      customerId: customerId ?? null,
      actor,
      facts,
      eligible: r.eligible,
      tierKey: r.tier?.key ?? null,
      tierRank: r.tier?.rank ?? null,
      benefitPackageKey: r.tier?.benefitPackage ?? null,
      scores: r.scores,
      // not stored: a pure function of the version, the facts and the cut-off run, re-derived on read (DecisionsService)
      trace: null,
      rolloutStep,
      cutoffRunId,
    };
  }

  /** Evaluate with the version in effect at `at` (default now) and log the decision durably before answering. */
  private async evaluated(actor: string, req: EvaluateRequest) {
    const at = req.at ?? new Date();
    const { policy, version, rolloutStep } = await this.versionAt(req.policy, at, req.facts);
    const p = await this.evaluators.prepare(version);
    const official = req.customerId ? this.official.find(policy.id, req.customerId, at) : Promise.resolve(null);
    official.catch(() => undefined); // awaited below; not unhandled if the evaluation fails first
    const cutoffs = await this.cutoffsFor(p, policy.id, at);
    const r = await this.run(p, req.facts, 'facts', cutoffs);
    this.metrics.evaluated(1);
    const d = this.config.decisionLog ? this.decision(p, policy, r, req.facts, req.customerId, at, actor, rolloutStep, cutoffs?.runId ?? null) : undefined;
    if (d) await this.log.append([d]);
    const options: AnswerOptions = { decisionId: d?.id, evaluatedAt: d?.evaluatedAt, explain: req.explain, rolloutStep, cutoffs };
    // The customer's official tier (the ledger at `at`) beside the computed one, when they differ.
    const o = await official;
    return { p, policy, r, options, official: o && (o.tier?.key ?? null) !== (r.tier?.key ?? null) ? o : null };
  }

  /** The answer (contract `Evaluation`) as an object, for callers inside the API. */
  async evaluate(actor: string, req: EvaluateRequest) {
    const { p, policy, r, options, official } = await this.evaluated(actor, req);
    const answer = evaluationObject(p, policy.key, r, req.facts, options);
    return official ? { ...answer, official } : answer;
  }

  /** The same answer as `evaluate`, as the JSON text the route sends (written without the intermediate object). */
  async evaluateJson(actor: string, req: EvaluateRequest): Promise<string> {
    const { p, policy, r, options, official } = await this.evaluated(actor, req);
    return `{${evaluationMembers(p, policy.key, r, req.facts, options)}${official ? `,"official":${JSON.stringify(official)}` : ''}}`;
  }

  /**
   * Many customers, one version (the one in effect at `at`), results in order, decisions logged together (in full,
   * whatever `include` leaves out of the answer). The answer (contract `BatchEvaluation`) as JSON bytes.
   * Every customer is evaluated (and its facts checked) before anything is logged: one refusal, nothing stored.
   * The log's write starts before the answer is written, so the two overlap; the answer goes out once it is durable.
   */
  async evaluateBatchJson(actor: string, req: EvaluateBatchRequest): Promise<Buffer> {
    const { policy, customers, at = new Date(), explain = false, include } = req;
    const { policy: row, version } = await this.versionAt(policy, at);
    // with a regional rollout each customer's segment picks the version; otherwise one version for all
    const each = version.rollout?.length || (await this.timelines.get(policy)).rollout;
    const results: BatchResult[] = new Array<BatchResult>(customers.length);
    let traceJson: TraceJsonEvaluator | undefined;
    if (each) {
      const resolved = await Promise.all(customers.map((c) => this.versionAt(policy, at, c.facts)));
      // once per distinct version, not per customer: 10,000 concurrent prepares of a version not yet cached each compiled it
      const perVersion = new Map<string, Promise<{ p: PreparedVersion; cutoffs: InForceCutoffs | undefined }>>();
      const once = (v: PolicyVersionRow) => {
        let x = perVersion.get(v.id);
        if (!x) {
          x = this.evaluators.prepare(v).then(async (p) => ({ p, cutoffs: await this.cutoffsFor(p, row.id, at) }));
          perVersion.set(v.id, x);
        }
        return x;
      };
      const byCustomer = await Promise.all(resolved.map((x) => once(x.version)));
      const rs = await Promise.all(customers.map((c, i) => this.run(byCustomer[i].p, c.facts, `customers[${i}].facts`, byCustomer[i].cutoffs)));
      for (let i = 0; i < customers.length; i++) {
        const c = customers[i];
        results[i] = batchResult(byCustomer[i].p, rs[i], c, resolved[i].rolloutStep, byCustomer[i].cutoffs);
      }
    } else {
      // one version for the whole batch: prepared once, its cut-offs looked up once
      const p = await this.evaluators.prepare(version);
      const cutoffs = await this.cutoffsFor(p, row.id, at);
      const traced = p.traced;
      // with the trace and without the explanation: the trace is written as JSON text while the answer is (below)
      traceJson = traced && !explain && include?.trace !== false ? (p.traceJson() ?? undefined) : undefined;
      if (traced && !explain && (include?.trace === false || traceJson)) {
        const fast = p.fast();
        for (let i = 0; i < customers.length; i++) results[i] = batchResult(p, this.outcome(p, fast, customers[i].facts, i), customers[i], null, cutoffs);
      } else if (traced) {
        for (let i = 0; i < customers.length; i++)
          results[i] = batchResult(p, this.runTraced(p, traced, customers[i].facts, i, cutoffs), customers[i], null, cutoffs);
      } else
        for (let i = 0; i < customers.length; i++) {
          const c = customers[i];
          results[i] = batchResult(p, await this.run(p, c.facts, `customers[${i}].facts`, cutoffs), c, null, cutoffs);
        }
    }
    this.metrics.evaluated(results.length);
    let logged: Promise<void> = Promise.resolve();
    if (this.config.decisionLog) {
      const decisions = new Array<DecisionRow>(results.length);
      for (let i = 0; i < results.length; i++) {
        const x = results[i];
        const d = this.decision(x.p, row, x.r, x.facts, x.customerId, at, actor, x.rolloutStep, x.cutoffs?.runId ?? null);
        decisions[i] = d;
        x.decisionId = d.id;
        x.evaluatedAt = d.evaluatedAt;
      }
      logged = this.log.append(decisions);
      logged.catch(() => undefined); // awaited below, after the answer is written; not unhandled meanwhile
    }
    const writer = batchAnswerWriter({ policyKey: row.key, version, explain, include, traceJson });
    for (let from = 0; from < results.length; from += BATCH_SLICE) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      writer.results(results, from, Math.min(from + BATCH_SLICE, results.length));
    }
    const answer = writer.done();
    await logged;
    return answer;
  }

  /**
   * Any version, drafts included, for authoring ("try it"): not logged. With `definition`, that
   * definition is evaluated in the version's place (unsaved edits), against the live catalog.
   */
  async evaluateVersion(version: PolicyVersionRow, policyKey: string, facts: Facts, explain = true, definition?: unknown) {
    const p = await this.evaluators.prepare(definition === undefined ? version : this.evaluators.unsaved(version, definition));
    // try-it: population conditions use the cut-offs in force now (the policy's last applied run)
    const cutoffs = await this.cutoffsFor(p, version.policyId, new Date());
    const r = await this.run(p, facts, 'facts', cutoffs);
    return evaluationObject(p, policyKey, r, facts, { explain, cutoffs });
  }
}
