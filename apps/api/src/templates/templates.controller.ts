import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { getTemplate, templates } from '@tierwise/policy-engine';
import type { PolicyTemplate } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { ZodBody } from '../common/validation';
import { policyBody } from '../policies/policies.controller';
import { PoliciesService } from '../policies/policies.service';
import { TestCasesService } from '../policies/test-cases.service';
import { addTemplateCatalog, createTemplatePolicy } from './template-catalog';

/** The new policy's key and name, checked as for any policy; both default to the template's. */
const fromTemplateBody = policyBody.pick({ key: true, name: true }).partial();

function summary(t: PolicyTemplate) {
  return {
    key: t.key,
    name: t.name,
    nameEn: t.nameEn,
    description: t.description,
    tiers: t.versions[t.versions.length - 1].definition.tiers.map((x) => ({ key: x.key, name: x.name, nameEn: x.nameEn })),
    versions: t.versions.map((v, i) => ({ number: i + 1, changeNote: v.changeNote, effectiveFrom: v.effectiveFrom ?? null })),
    facts: t.facts.map((f) => f.key),
    testCases: t.testCases.length,
  };
}

/**
 * The schemes shipped with Tierwise (the policy engine's templates), and a new policy started from
 * one: its catalog entries (those missing), its test cases and a draft of its current version —
 * which then goes through the same four-eyes workflow as any other draft.
 */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly policies: PoliciesService,
    private readonly testCases: TestCasesService,
  ) {}

  @Get()
  @Roles(...READERS)
  list() {
    return templates.map(summary);
  }

  @Post(':key/policy')
  @Roles('admin', 'author')
  async createPolicy(@CurrentUser() me: Principal, @Param('key') key: string, @Body(new ZodBody(fromTemplateBody)) body: z.infer<typeof fromTemplateBody>) {
    const t = getTemplate(key);
    if (!t) throw new CommonException(CommonExceptionCode.NotFound, `No template ${key.slice(0, 64)}`);
    const comment = `from template ${t.key}`;
    return this.ds.transaction(async (m) => {
      const addedToCatalog = await addTemplateCatalog(m, this.audit, me.username, t, comment);
      const policy = await createTemplatePolicy(m, { policies: this.policies, testCases: this.testCases }, me.username, t, body);
      const current = t.versions[t.versions.length - 1];
      const draft = await this.policies.createVersionIn(m, me.username, policy.id, {
        definition: current.definition,
        changeNote: `${current.changeNote} (${comment})`,
      });
      return { policy, version: draft, addedToCatalog, testCases: t.testCases.length };
    });
  }
}
