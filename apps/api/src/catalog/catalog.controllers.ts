import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query, Res, Type } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catalog, Operation } from '@tierwise/contract';
import { ObjectLiteral } from 'typeorm';
import { ContractOperation } from '../common/contract/operation.decorator';
import { CurrentUser, Principal, Roles } from '../common/access/access.decorators';
import { READERS } from '../common/access/roles';
import { parseListQuery, setContentRange } from '../common/list-query';
import { ZodBody } from '../common/validation';
import { CatalogService } from './catalog.service';
import { BENEFIT_PACKAGES, BENEFITS, CatalogSpec, FACTS } from './catalog.specs';

export const catalogToken = (resource: string) => `CatalogService:${resource}`;

const CATALOG_OPERATIONS: Record<string, Record<'list' | 'get' | 'create' | 'replace' | 'remove', Operation>> = {
  facts: catalog.facts,
  benefits: catalog.benefits,
  'benefit-packages': catalog.benefitPackages,
};

/** `GET/POST /api/<resource>`, `GET/PUT/DELETE /api/<resource>/:key` for one catalog. */
function catalogController<T extends { key: string }, R extends ObjectLiteral>(spec: CatalogSpec<T, R>): Type<unknown> {
  const body = new ZodBody(spec.schema);
  const ops: Record<'list' | 'get' | 'create' | 'replace' | 'remove', Operation> = CATALOG_OPERATIONS[spec.resource];

  @Controller(spec.resource)
  class CatalogController {
    constructor(@Inject(catalogToken(spec.resource)) readonly service: CatalogService<T, R>) {}

    @ContractOperation(ops.list)
    @Get()
    @Roles(...READERS)
    async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
      const q = parseListQuery(query, spec.sortable, ['key', 'ASC']);
      const { rows, total } = await this.service.list(q);
      setContentRange(res, spec.resource, q, rows.length, total);
      return rows;
    }

    @ContractOperation(ops.get)
    @Get(':key')
    @Roles(...READERS)
    get(@Param('key') key: string) {
      return this.service.get(key);
    }

    @ContractOperation(ops.create)
    @Post()
    @Roles('admin', 'author')
    create(@CurrentUser() me: Principal, @Body(body) item: T) {
      return this.service.create(me.username, item);
    }

    @ContractOperation(ops.replace)
    @Put(':key')
    @Roles('admin', 'author')
    replace(@CurrentUser() me: Principal, @Param('key') key: string, @Body(body) item: T) {
      return this.service.replace(me.username, key, item);
    }

    @ContractOperation(ops.remove)
    @Delete(':key')
    @Roles('admin', 'author')
    remove(@CurrentUser() me: Principal, @Param('key') key: string) {
      return this.service.remove(me.username, key);
    }
  }
  Object.defineProperty(CatalogController, 'name', { value: `${spec.entityType}CatalogController` });
  return CatalogController;
}

export type AnyCatalogSpec = CatalogSpec<{ key: string }, ObjectLiteral>;
export const CATALOG_SPECS = [FACTS, BENEFITS, BENEFIT_PACKAGES] as unknown as AnyCatalogSpec[];
export const CATALOG_CONTROLLERS = CATALOG_SPECS.map((s) => catalogController(s));
