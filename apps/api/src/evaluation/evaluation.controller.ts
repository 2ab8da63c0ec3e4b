import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { evaluation } from '@tierwise/contract';
import { z } from 'zod';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { EVALUATORS } from '../common/access/roles';
import { filterDate, filterString, mergedFilter, parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { PoliciesService } from '../policies/policies.service';
import { PolicyRow } from '../policies/policy.entities';
import { FactMaskingService } from '../catalog/fact-masking';
import { EvaluationService } from './evaluation.service';
import { DecisionListQuery, DecisionsService } from './decisions.service';
import { fastBatchBody } from './batch-body';
import { fastEvaluateBody } from './evaluate-body';
import { DecisionRetentionService } from './decision-retention.service';

export const MAX_BATCH = evaluation.MAX_BATCH;

const evaluateBody = evaluation.evaluateBody;
/** Also run by the direct Fastify handler of POST /api/evaluate (direct-route.ts): one pipe, one validation. */
export const evaluateBodyPipe = new ZodBody(evaluateBody, fastEvaluateBody);
const batchBody = evaluation.batchBody;
/** `definition`: evaluate this definition (e.g. the console's unsaved edit) in the version's place, against the live catalog. */
const versionEvaluateBody = evaluation.versionEvaluateBody;

/** An answer already serialised (EvaluationService's *Json methods): sent as it is, Fastify does not serialise a string or a Buffer again. */
function sendJson<T extends string | Buffer>(res: FastifyReply, json: T): T {
  res.type('application/json; charset=utf-8');
  return json;
}

const DECISION_READERS = ['admin', 'compliance', 'approver', 'author'] as const;

@Controller()
export class EvaluationController {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly policies: PoliciesService,
    private readonly decisionReads: DecisionsService,
    private readonly masking: FactMaskingService,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly retention: DecisionRetentionService,
  ) {}

  @ContractOperation(evaluation.evaluate)
  @Post('evaluate')
  @HttpCode(200)
  @Roles(...EVALUATORS)
  // served by direct-route.ts (same guard, pipe and method, without Nest's router): keep the two in step
  async evaluate(@CurrentUser() me: Principal, @Body(evaluateBodyPipe) body: z.infer<typeof evaluateBody>, @Res({ passthrough: true }) res: FastifyReply) {
    const json = await this.evaluation.evaluateJson(me.username, { ...body, at: body.at ? new Date(body.at) : undefined });
    return sendJson(res, json);
  }

  @ContractOperation(evaluation.evaluateBatch)
  @Post('evaluate/batch')
  @HttpCode(200)
  @Roles(...EVALUATORS)
  async batch(
    @CurrentUser() me: Principal,
    @Body(new ZodBody(batchBody, fastBatchBody)) body: z.infer<typeof batchBody>,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const json = await this.evaluation.evaluateBatchJson(me.username, { ...body, at: body.at ? new Date(body.at) : undefined });
    return sendJson(res, json);
  }

  @ContractOperation(evaluation.evaluateVersion)
  @Post('policy-versions/:id/evaluate')
  @HttpCode(200)
  @Roles('admin', 'author', 'approver', 'compliance')
  async evaluateVersion(@Param('id', new UuidParam()) id: string, @Body(new ZodBody(versionEvaluateBody)) body: z.infer<typeof versionEvaluateBody>) {
    const v = await this.policies.version(id);
    const policy = await this.ds.getRepository(PolicyRow).findOneByOrFail({ id: v.policyId });
    return this.evaluation.evaluateVersion(v, policy.key, body.facts, body.explain ?? true, body.definition);
  }

  @ContractOperation(evaluation.listDecisions)
  @Get('decisions')
  @Roles(...DECISION_READERS)
  async decisions(@CurrentUser() me: Principal, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['evaluatedAt', 'customerId', 'policyKey'], ['evaluatedAt', 'DESC']);
    const f = mergedFilter(query, q, ['customerId', 'policy', 'from', 'to']);
    const cid = filterString(f, 'customerId');
    const policy = filterString(f, 'policy');
    const { rows, total } = await this.decisionReads.list({
      customerId: cid,
      // By the policy's id, so that only that policy's partitions are read (the log is partitioned by policy).
      policyId: policy === undefined ? undefined : ((await this.ds.getRepository(PolicyRow).findOneBy({ key: policy }))?.id ?? randomUUID()),
      from: filterDate(f, 'from'),
      to: filterDate(f, 'to'),
      sortField: q.sortField as DecisionListQuery['sortField'],
      sortOrder: q.sortOrder,
      skip: q.skip,
      take: q.take,
    });
    setContentRange(res, 'decisions', q, rows.length, total);
    const masker = await this.masking.forRoles(me.roles);
    return rows.map((summary) => {
      const { values, masked } = masker.facts(summary.facts);
      return masked.length ? { ...summary, facts: values, maskedFacts: masked } : summary;
    });
  }

  @ContractOperation(evaluation.getDecision)
  @Get('decisions/:id')
  @Roles(...DECISION_READERS)
  decision(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string) {
    return this.decisionReads.get(id, me.roles);
  }

  @ContractOperation(evaluation.getDecisionRetention)
  @Get('policies/:id/decision-retention')
  @Roles(...DECISION_READERS)
  decisionRetention(@Param('id', new UuidParam()) id: string) {
    return this.retention.get(id);
  }

  @ContractOperation(evaluation.requestDecisionRetention)
  @Put('policies/:id/decision-retention')
  @Roles(...evaluation.RETENTION_SETTERS)
  requestDecisionRetention(
    @CurrentUser() me: Principal,
    @Param('id', new UuidParam()) id: string,
    @Body(new ZodBody(evaluation.decisionRetentionBody)) body: z.infer<typeof evaluation.decisionRetentionBody>,
  ) {
    return this.retention.request(me.username, id, body.months, body.comment);
  }

  @ContractOperation(evaluation.approveDecisionRetention)
  @Post('policies/:id/decision-retention/approve')
  @HttpCode(200)
  @Roles(...evaluation.RETENTION_SETTERS)
  approveDecisionRetention(
    @CurrentUser() me: Principal,
    @Param('id', new UuidParam()) id: string,
    @Body(new ZodBody(evaluation.decisionRetentionDecisionBody)) body: z.infer<typeof evaluation.decisionRetentionDecisionBody>,
  ) {
    return this.retention.approve(me.username, id, body.comment);
  }

  @ContractOperation(evaluation.rejectDecisionRetention)
  @Post('policies/:id/decision-retention/reject')
  @HttpCode(200)
  @Roles(...evaluation.RETENTION_SETTERS)
  rejectDecisionRetention(
    @CurrentUser() me: Principal,
    @Param('id', new UuidParam()) id: string,
    @Body(new ZodBody(evaluation.decisionRetentionDecisionBody)) body: z.infer<typeof evaluation.decisionRetentionDecisionBody>,
  ) {
    return this.retention.reject(me.username, id, body.comment);
  }
}
