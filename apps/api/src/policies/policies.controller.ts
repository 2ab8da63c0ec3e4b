import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { commentBody as sharedCommentBody, policies } from '@tierwise/contract';
import { z } from 'zod';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { UuidParam, ZodBody } from '../common/validation';
import { PoliciesService } from './policies.service';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { TestCasesService } from './test-cases.service';
import { WorkflowService } from './workflow.service';

export const policyBody = policies.policyBody;
const versionBody = policies.versionBody;
const updateBody = policies.updateVersionBody;
const commentBody = sharedCommentBody;
const rejectBody = policies.rejectBody;
const publishBody = policies.publishBody;
const retireBody = policies.retireBody;
const validateBody = policies.validateBody;
/** `definition`: run the test cases against this definition (unsaved edits) in the version's place. */
const testRunBody = policies.testRunBody;
const testCaseBody = policies.testCaseBody;

function revision(ifMatch: string | undefined): number {
  if (ifMatch === undefined) {
    throw new PolicyException(PolicyExceptionCode.RevisionRequired, 'Send the revision you edited in an If-Match header', [
      { path: 'If-Match', message: 'is required' },
    ]);
  }
  const n = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new PolicyException(PolicyExceptionCode.RevisionRequired, 'If-Match must be a revision number', [
      { path: 'If-Match', message: 'must be a positive whole number' },
    ]);
  return n;
}

@Controller()
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly workflow: WorkflowService,
    private readonly testCases: TestCasesService,
  ) {}

  @ContractOperation(policies.listPolicies)
  @Get('policies')
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['key', 'name', 'createdAt', 'updatedAt'], ['key', 'ASC']);
    const { rows, total } = await this.policies.listPolicies(q);
    setContentRange(res, 'policies', q, rows.length, total);
    return rows;
  }

  @ContractOperation(policies.validatePolicy)
  @Post('policies/validate')
  @HttpCode(200)
  @Roles(...READERS)
  validate(@Body(new ZodBody(validateBody)) body: z.infer<typeof validateBody>) {
    return this.policies.validate(body.definition);
  }

  @ContractOperation(policies.createPolicy)
  @Post('policies')
  @Roles('admin', 'author')
  create(@CurrentUser() me: Principal, @Body(new ZodBody(policyBody)) body: z.infer<typeof policyBody>) {
    return this.policies.createPolicy(me.username, body);
  }

  @ContractOperation(policies.getPolicy)
  @Get('policies/:id')
  @Roles(...READERS)
  get(@Param('id', new UuidParam()) id: string) {
    return this.policies.getPolicy(id);
  }

  @ContractOperation(policies.listVersions)
  @Get('policies/:id/versions')
  @Roles(...READERS)
  async versions(@Param('id', new UuidParam()) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['number', 'createdAt', 'updatedAt', 'effectiveFrom'], ['number', 'DESC']);
    const { rows, total } = await this.policies.listVersions(id, q);
    setContentRange(res, 'versions', q, rows.length, total);
    return rows;
  }

  @ContractOperation(policies.createVersion)
  @Post('policies/:id/versions')
  @Roles('admin', 'author')
  createVersion(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(versionBody)) body: z.infer<typeof versionBody>) {
    return this.policies.createVersion(me.username, id, body);
  }

  @ContractOperation(policies.getVersion)
  @Get('policy-versions/:id')
  @Roles(...READERS)
  version(@Param('id', new UuidParam()) id: string) {
    // No ETag: the revision (for If-Match) is in the body, and workflow steps change a version without changing it.
    return this.policies.getVersion(id);
  }

  @ContractOperation(policies.updateVersion)
  @Put('policy-versions/:id')
  @Roles('admin', 'author')
  update(
    @CurrentUser() me: Principal,
    @Param('id', new UuidParam()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodBody(updateBody)) body: z.infer<typeof updateBody>,
  ) {
    return this.policies.updateVersion(me.username, id, revision(ifMatch), body);
  }

  @ContractOperation(policies.diffVersions)
  @Get('policy-versions/:id/diff')
  @Roles(...READERS)
  diff(@Param('id', new UuidParam()) id: string, @Query('against', new UuidParam()) against: string) {
    return this.policies.diff(id, against);
  }

  @ContractOperation(policies.submitVersion)
  @Post('policy-versions/:id/submit')
  @HttpCode(200)
  @Roles('admin', 'author')
  submit(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.submit(me, id, body.comment);
  }

  @ContractOperation(policies.approveVersion)
  @Post('policy-versions/:id/approve')
  @HttpCode(200)
  @Roles('approver')
  approve(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.approve(me, id, body.comment);
  }

  @ContractOperation(policies.rejectVersion)
  @Post('policy-versions/:id/reject')
  @HttpCode(200)
  @Roles('approver')
  reject(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(rejectBody)) body: z.infer<typeof rejectBody>) {
    return this.workflow.reject(me, id, body.comment);
  }

  @ContractOperation(policies.publishVersion)
  @Post('policy-versions/:id/publish')
  @HttpCode(200)
  @Roles('approver')
  publish(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(publishBody)) body: z.infer<typeof publishBody>) {
    return this.workflow.publish(
      me,
      id,
      {
        effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined,
        rollout: body.rollout?.map((r) => ({ segment: r.segment, effectiveFrom: new Date(r.effectiveFrom) })),
      },
      body.comment,
    );
  }

  @ContractOperation(policies.withdrawVersion)
  @Post('policy-versions/:id/withdraw')
  @HttpCode(200)
  @Roles('admin', 'author')
  withdraw(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.withdraw(me, id, body.comment);
  }

  @ContractOperation(policies.discardVersion)
  @Post('policy-versions/:id/discard')
  @HttpCode(200)
  @Roles('admin', 'author')
  discard(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.discard(me, id, body.comment);
  }

  /** Retires at once, or — for a version in effect or scheduled — asks a second approver (approve-retirement). */
  @ContractOperation(policies.retireVersion)
  @Post('policy-versions/:id/retire')
  @HttpCode(200)
  @Roles('approver', 'admin')
  retire(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(retireBody)) body: z.infer<typeof retireBody>) {
    return this.workflow.retire(me, id, body);
  }

  @ContractOperation(policies.approveRetirement)
  @Post('policy-versions/:id/approve-retirement')
  @HttpCode(200)
  @Roles('approver')
  approveRetirement(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(retireBody)) body: z.infer<typeof retireBody>) {
    return this.workflow.approveRetirement(me, id, body);
  }

  @ContractOperation(policies.rejectRetirement)
  @Post('policy-versions/:id/reject-retirement')
  @HttpCode(200)
  @Roles('approver', 'admin')
  rejectRetirement(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.rejectRetirement(me, id, body.comment);
  }

  @ContractOperation(policies.testRun)
  @Post('policy-versions/:id/test-run')
  @HttpCode(200)
  @Roles('admin', 'author', 'approver', 'compliance')
  async testRun(@Param('id', new UuidParam()) id: string, @Body() raw: unknown) {
    const body = new ZodBody(testRunBody).transform(raw ?? {}); // the body is optional
    return this.testCases.run(await this.policies.version(id), undefined, body.definition);
  }

  @ContractOperation(policies.listTestCases)
  @Get('policies/:id/test-cases')
  @Roles(...READERS)
  async listTestCases(@Param('id', new UuidParam()) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['name', 'createdAt', 'updatedAt'], ['createdAt', 'ASC']);
    const { rows, total } = await this.testCases.list(id, q);
    setContentRange(res, 'test-cases', q, rows.length, total);
    return rows;
  }

  @ContractOperation(policies.getTestCase)
  @Get('policies/:id/test-cases/:caseId')
  @Roles(...READERS)
  getTestCase(@Param('id', new UuidParam()) id: string, @Param('caseId', new UuidParam()) caseId: string) {
    return this.testCases.get(id, caseId);
  }

  @ContractOperation(policies.createTestCase)
  @Post('policies/:id/test-cases')
  @Roles('admin', 'author')
  createTestCase(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(testCaseBody)) body: z.infer<typeof testCaseBody>) {
    return this.testCases.create(me.username, id, body);
  }

  @ContractOperation(policies.updateTestCase)
  @Put('policies/:id/test-cases/:caseId')
  @Roles('admin', 'author')
  updateTestCase(
    @CurrentUser() me: Principal,
    @Param('id', new UuidParam()) id: string,
    @Param('caseId', new UuidParam()) caseId: string,
    @Body(new ZodBody(testCaseBody)) body: z.infer<typeof testCaseBody>,
  ) {
    return this.testCases.update(me.username, id, caseId, body);
  }

  @ContractOperation(policies.deleteTestCase)
  @Delete('policies/:id/test-cases/:caseId')
  @Roles('admin', 'author')
  deleteTestCase(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Param('caseId', new UuidParam()) caseId: string) {
    return this.testCases.remove(me.username, id, caseId);
  }
}
