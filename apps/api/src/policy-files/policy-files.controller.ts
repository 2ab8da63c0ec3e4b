import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { policyFiles } from '@tierwise/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { ContractOperation } from '../common/contract/operation.decorator';
import { UuidParam } from '../common/validation';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';
import { checkJsonValue, readPolicyFileUpload } from './policy-file-upload';
import { PolicyFilesService } from './policy-files.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Policies as files (contract §11). `GET /policies/:id/export[?version=]` downloads one policy file;
 * `POST /policies/import` takes one (the JSON body itself, or multipart field `file`) and answers
 * `{policy, version, …}` with the new draft.
 */
@Controller()
export class PolicyFilesController {
  constructor(private readonly files: PolicyFilesService) {}

  @Get('policies/:id/export')
  @ContractOperation(policyFiles.exportPolicy)
  @Roles(...READERS)
  async export(@Param('id', new UuidParam()) id: string, @Query('version') version: unknown, @Res({ passthrough: true }) res: FastifyReply) {
    if (version !== undefined && (typeof version !== 'string' || !UUID.test(version))) {
      throw new PolicyException(PolicyExceptionCode.VersionNotFound, 'version must be the id of a version of this policy', [
        { path: 'version', message: 'is not a version id' },
      ]);
    }
    const { file, fileName } = await this.files.export(id, version);
    res.header('Content-Disposition', `attachment; filename="${fileName}"`);
    return file;
  }

  @Post('policies/import')
  @ContractOperation(policyFiles.importPolicy)
  @HttpCode(201)
  @Roles('admin', 'author')
  async import(@CurrentUser() me: Principal, @Req() req: FastifyRequest, @Body() body: unknown) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const value = type === 'multipart/form-data' ? await readPolicyFileUpload(req) : checkJsonValue(body);
    return this.files.import(me.username, value);
  }
}
