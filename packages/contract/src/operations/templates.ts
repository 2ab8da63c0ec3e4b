/** The schemes shipped with Tierwise, and a new policy started from one. */
import { z } from 'zod';
import { keyParams, named } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';
import { Policy, policyBody, PolicyVersion } from './policies';

export const TemplateSummary = component(
  'TemplateSummary',
  z.object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().optional(),
    description: z.string().optional(),
    tiers: z.array(named),
    versions: z.array(z.object({ number: z.number(), changeNote: z.string().optional(), effectiveFrom: z.string().nullable() })),
    facts: z.array(z.string()),
    testCases: z.number(),
  }),
);

/** The new policy's key and name, checked as for any policy; both default to the template's. */
export const fromTemplateBody = component('FromTemplateBody', policyBody.pick({ key: true, name: true }).partial());

export const listTemplates = defineOperation({
  id: 'listTemplates',
  method: 'get',
  path: '/api/templates',
  summary: 'The shipped schemes',
  tags: ['templates'],
  roles: ['admin', 'author', 'approver', 'compliance', 'viewer'],
  responses: { 200: z.array(TemplateSummary) },
  errors: [],
});
export const createPolicyFromTemplate = defineOperation({
  id: 'createPolicyFromTemplate',
  method: 'post',
  path: '/api/templates/{key}/policy',
  summary: 'A new policy from a template: missing catalog entries, its test cases and a draft',
  tags: ['templates'],
  roles: ['admin', 'author'],
  params: keyParams,
  body: fromTemplateBody,
  bodyOptional: true,
  responses: {
    201: component(
      'PolicyFromTemplate',
      z.object({
        policy: Policy,
        version: PolicyVersion,
        /** Catalog entries the template added (those missing). */
        addedToCatalog: z.array(z.string()),
        testCases: z.number(),
      }),
    ),
  },
  errors: [400, 404, 409, 422],
});
