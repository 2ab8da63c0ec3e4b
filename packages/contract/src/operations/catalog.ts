/** The three catalogs, each addressed by key (contract §2). */
import { z } from 'zod';
import { instant, keyParams, list, listQuery } from '../common';
import { component } from '../components';
import { Benefit, BenefitPackage, FactDefinition } from '../engine';
import { defineOperation } from '../registry';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
const WRITERS = ['admin', 'author'] as const;
const stored = { id: z.string(), createdAt: instant.optional(), updatedAt: instant.optional() };

export const Fact = component('Fact', z.object({ ...FactDefinition.shape, ...stored }));
export const BenefitItem = component('BenefitItem', z.object({ ...Benefit.shape, ...stored }));
export const BenefitPackageItem = component('BenefitPackageItem', z.object({ ...BenefitPackage.shape, ...stored }));

function catalog(resource: string, singular: string, item: z.ZodType, body: z.ZodType, label: string) {
  const tags = ['catalogs'];
  return {
    list: defineOperation({
      id: `list${singular}s`,
      method: 'get',
      path: `/api/${resource}`,
      summary: `The ${label} catalog`,
      tags,
      roles: READERS,
      query: listQuery,
      responses: { 200: list(item) },
      errors: [400],
    }),
    get: defineOperation({
      id: `get${singular}`,
      method: 'get',
      path: `/api/${resource}/{key}`,
      summary: `One ${label}`,
      tags,
      roles: READERS,
      params: keyParams,
      responses: { 200: item },
      errors: [404],
    }),
    create: defineOperation({
      id: `create${singular}`,
      method: 'post',
      path: `/api/${resource}`,
      summary: `Add a ${label}`,
      tags,
      roles: WRITERS,
      body,
      responses: { 201: item },
      errors: [400, 409, 422],
    }),
    replace: defineOperation({
      id: `replace${singular}`,
      method: 'put',
      path: `/api/${resource}/{key}`,
      summary: `Replace a ${label} (its key never changes)`,
      tags,
      roles: WRITERS,
      params: keyParams,
      body,
      responses: { 200: item },
      errors: [400, 404, 409, 422],
    }),
    remove: defineOperation({
      id: `delete${singular}`,
      method: 'delete',
      path: `/api/${resource}/{key}`,
      summary: `Delete a ${label} no version uses`,
      tags,
      roles: WRITERS,
      params: keyParams,
      responses: { 200: item },
      errors: [404, 409],
    }),
  };
}

export const facts = catalog('facts', 'Fact', Fact, FactDefinition, 'fact');
export const benefits = catalog('benefits', 'Benefit', BenefitItem, Benefit, 'benefit');
export const benefitPackages = catalog('benefit-packages', 'BenefitPackage', BenefitPackageItem, BenefitPackage, 'benefit package');
