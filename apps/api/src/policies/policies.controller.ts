import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { safeKey, UuidParam, ZodBody } from '../common/validation';
import { PoliciesService } from './policies.service';
import { PolicyException, PolicyExceptionCode } from './policy.exception';
import { TestCasesService } from './test-cases.service';
import { WorkflowService } from './workflow.service';

export const policyBody = z.strictObject({
  key: safeKey,
  name: z.string().trim().min(1, 'is required').max(200, 'is too long'),
  description: z.string().max(5000, 'is too long').optional(),
});
const versionBody = z.strictObject({
  definition: z.unknown().optional(),
  changeNote: z.string().max(5000, 'is too long').optional(),
  basedOn: z.uuid({ message: 'must be a version id' }).optional(),
});
const updateBody = z.strictObject({
  definition: z.unknown().refine((d) => d !== undefined, 'is required'),
  changeNote: z.string().max(5000, 'is too long').optional(),
});
const commentBody = z.strictObject({ comment: z.string().max(5000, 'is too long').optional() });
const rejectBody = z.strictObject({ comment: z.string().trim().min(1, 'a rejection needs a comment').max(5000, 'is too long') });
const publishBody = z.strictObject({
  effectiveFrom: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with a time zone, e.g. 2026-12-01T00:00:00+08:00' }).optional(),
  comment: z.string().max(5000, 'is too long').optional(),
});
const retireBody = z.strictObject({
  comment: z.string().max(5000, 'is too long').optional(),
  acknowledgeGap: z.boolean().optional(),
});
const validateBody = z.strictObject({ definition: z.unknown() });
/** `definition`: run the test cases against this definition (unsaved edits) in the version's place. */
const testRunBody = z.strictObject({ definition: z.unknown().optional() });
const factsObject = z
  .record(z.string().max(64, 'fact keys are at most 64 characters'), z.unknown())
  .refine((f) => Object.keys(f).length <= 500, 'at most 500 facts');
const testCaseBody = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200, 'is too long'),
  facts: factsObject,
  expectedTier: z.string().max(64).nullable(),
});

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

@ApiTags('policies')
@ApiBearerAuth()
@Controller()
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly workflow: WorkflowService,
    private readonly testCases: TestCasesService,
  ) {}

  @Get('policies')
  @Roles(...READERS)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['key', 'name', 'createdAt', 'updatedAt'], ['key', 'ASC']);
    const { rows, total } = await this.policies.listPolicies(q);
    setContentRange(res, 'policies', q, rows.length, total);
    return rows;
  }

  @Post('policies/validate')
  @HttpCode(200)
  @Roles(...READERS)
  validate(@Body(new ZodBody(validateBody)) body: z.infer<typeof validateBody>) {
    return this.policies.validate(body.definition);
  }

  @Post('policies')
  @Roles('admin', 'author')
  create(@CurrentUser() me: Principal, @Body(new ZodBody(policyBody)) body: z.infer<typeof policyBody>) {
    return this.policies.createPolicy(me.username, body);
  }

  @Get('policies/:id')
  @Roles(...READERS)
  get(@Param('id', new UuidParam()) id: string) {
    return this.policies.getPolicy(id);
  }

  @Get('policies/:id/versions')
  @Roles(...READERS)
  async versions(@Param('id', new UuidParam()) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['number', 'createdAt', 'updatedAt', 'effectiveFrom'], ['number', 'DESC']);
    const { rows, total } = await this.policies.listVersions(id, q);
    setContentRange(res, 'versions', q, rows.length, total);
    return rows;
  }

  @Post('policies/:id/versions')
  @Roles('admin', 'author')
  createVersion(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(versionBody)) body: z.infer<typeof versionBody>) {
    return this.policies.createVersion(me.username, id, body);
  }

  @Get('policy-versions/:id')
  @Roles(...READERS)
  version(@Param('id', new UuidParam()) id: string) {
    // No ETag: the revision (for If-Match) is in the body, and workflow steps change a version without changing it.
    return this.policies.getVersion(id);
  }

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

  @Get('policy-versions/:id/diff')
  @Roles(...READERS)
  diff(@Param('id', new UuidParam()) id: string, @Query('against', new UuidParam()) against: string) {
    return this.policies.diff(id, against);
  }

  @Post('policy-versions/:id/submit')
  @HttpCode(200)
  @Roles('admin', 'author')
  submit(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.submit(me, id, body.comment);
  }

  @Post('policy-versions/:id/approve')
  @HttpCode(200)
  @Roles('approver')
  approve(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.approve(me, id, body.comment);
  }

  @Post('policy-versions/:id/reject')
  @HttpCode(200)
  @Roles('approver')
  reject(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(rejectBody)) body: z.infer<typeof rejectBody>) {
    return this.workflow.reject(me, id, body.comment);
  }

  @Post('policy-versions/:id/publish')
  @HttpCode(200)
  @Roles('approver')
  publish(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(publishBody)) body: z.infer<typeof publishBody>) {
    return this.workflow.publish(me, id, { effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : undefined }, body.comment);
  }

  @Post('policy-versions/:id/withdraw')
  @HttpCode(200)
  @Roles('admin', 'author')
  withdraw(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.withdraw(me, id, body.comment);
  }

  @Post('policy-versions/:id/discard')
  @HttpCode(200)
  @Roles('admin', 'author')
  discard(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.discard(me, id, body.comment);
  }

  /** Retires at once, or — for a version in effect or scheduled — asks a second approver (approve-retirement). */
  @Post('policy-versions/:id/retire')
  @HttpCode(200)
  @Roles('approver', 'admin')
  retire(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(retireBody)) body: z.infer<typeof retireBody>) {
    return this.workflow.retire(me, id, body);
  }

  @Post('policy-versions/:id/approve-retirement')
  @HttpCode(200)
  @Roles('approver')
  approveRetirement(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(retireBody)) body: z.infer<typeof retireBody>) {
    return this.workflow.approveRetirement(me, id, body);
  }

  @Post('policy-versions/:id/reject-retirement')
  @HttpCode(200)
  @Roles('approver', 'admin')
  rejectRetirement(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(commentBody)) body: z.infer<typeof commentBody>) {
    return this.workflow.rejectRetirement(me, id, body.comment);
  }

  @Post('policy-versions/:id/test-run')
  @HttpCode(200)
  @Roles('admin', 'author', 'approver', 'compliance')
  async testRun(@Param('id', new UuidParam()) id: string, @Body() raw: unknown) {
    const body = new ZodBody(testRunBody).transform(raw ?? {}); // the body is optional
    return this.testCases.run(await this.policies.version(id), undefined, body.definition);
  }

  @Get('policies/:id/test-cases')
  @Roles(...READERS)
  async listTestCases(@Param('id', new UuidParam()) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = parseListQuery(query, ['name', 'createdAt', 'updatedAt'], ['createdAt', 'ASC']);
    const { rows, total } = await this.testCases.list(id, q);
    setContentRange(res, 'test-cases', q, rows.length, total);
    return rows;
  }

  @Get('policies/:id/test-cases/:caseId')
  @Roles(...READERS)
  getTestCase(@Param('id', new UuidParam()) id: string, @Param('caseId', new UuidParam()) caseId: string) {
    return this.testCases.get(id, caseId);
  }

  @Post('policies/:id/test-cases')
  @Roles('admin', 'author')
  createTestCase(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Body(new ZodBody(testCaseBody)) body: z.infer<typeof testCaseBody>) {
    return this.testCases.create(me.username, id, body);
  }

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

  @Delete('policies/:id/test-cases/:caseId')
  @Roles('admin', 'author')
  deleteTestCase(@CurrentUser() me: Principal, @Param('id', new UuidParam()) id: string, @Param('caseId', new UuidParam()) caseId: string) {
    return this.testCases.remove(me.username, id, caseId);
  }
}
