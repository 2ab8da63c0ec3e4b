import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { templates as templateOps } from '@tierwise/contract';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { ZodBody } from '../common/validation';
import { PolicyRow } from '../policies/policy.entities';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';
import { PolicyFilesService } from '../policy-files/policy-files.service';
import { getTemplate, templates, type ShippedTemplate } from './template-library';

/** The new policy's key and name, checked as for any policy; both default to the template's. */
const fromTemplateBody = templateOps.fromTemplateBody;

function summary(t: ShippedTemplate) {
  const f = t.current;
  return {
    key: t.key,
    name: f.policy.name,
    nameEn: f.policy.name,
    description: f.policy.description ?? '',
    tiers: f.definition.tiers.map((x) => ({ key: x.key, name: x.name, nameEn: x.nameEn })),
    versions: t.versions.map((v, i) => ({ number: i + 1, file: v.file, changeNote: v.content.changeNote ?? '', effectiveFrom: v.effectiveFrom ?? null })),
    facts: f.catalog.facts.map((x) => x.key),
    testCases: f.testCases.length,
  };
}

/**
 * The schemes shipped with Tierwise (policy files in apps/api/templates), and a new policy started
 * from one: the template's current file imported through the ordinary import (catalog entries it
 * lacks, its test cases, a draft) under the key asked for — the draft then goes through the same
 * four-eyes workflow as any other.
 */
@Controller('templates')
export class TemplatesController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly files: PolicyFilesService,
  ) {}

  @ContractOperation(templateOps.listTemplates)
  @Get()
  @Roles(...READERS)
  list() {
    return templates().map(summary);
  }

  @ContractOperation(templateOps.createPolicyFromTemplate)
  @Post(':key/policy')
  @Roles('admin', 'author')
  async createPolicy(@CurrentUser() me: Principal, @Param('key') key: string, @Body(new ZodBody(fromTemplateBody)) body: z.infer<typeof fromTemplateBody>) {
    const t = getTemplate(key);
    if (!t) throw new CommonException(CommonExceptionCode.NotFound, `No template ${key.slice(0, 64)}`);
    const policyKey = body.key ?? t.key;
    return this.ds.transaction(async (m) => {
      // a template starts a new policy; adding a draft to an existing one is what POST /policies/import is for
      if (await m.getRepository(PolicyRow).existsBy({ key: policyKey })) {
        throw new PolicyException(PolicyExceptionCode.KeyTaken, `A policy with key ${policyKey} exists`, [{ path: 'key', message: 'is taken' }], {
          key: policyKey,
        });
      }
      const r = await this.files.importIn(m, me.username, t.current, { key: policyKey, name: body.name });
      return { policy: r.policy, version: r.version, addedToCatalog: r.addedToCatalog, testCases: r.testCases.added };
    });
  }
}
