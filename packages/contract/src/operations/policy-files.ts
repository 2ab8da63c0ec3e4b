/** Policies as files (contract §11): a policy version exported with its test cases and catalog items, and such a file imported as a draft. */
import { z } from 'zod';
import { facts, fileSchema, idParams, uuid } from '../common';
import { component } from '../components';
import { Benefit, BenefitPackage, FactDefinition, PolicyDefinition } from '../engine';
import { documentedAs } from '../openapi';
import { defineOperation } from '../registry';
import { Policy, PolicyVersion } from './policies';

const tags = ['policies'];

export const PolicyFile = component(
  'PolicyFile',
  z.object({
    format: z.literal('tierwise.policy/1'),
    policy: z.object({ key: z.string(), name: z.string(), description: z.string().optional() }),
    definition: PolicyDefinition,
    changeNote: z.string().optional(),
    testCases: z.array(z.object({ name: z.string(), facts, expectedTier: z.string().nullable() })),
    catalog: z.object({ facts: z.array(FactDefinition), benefits: z.array(Benefit), benefitPackages: z.array(BenefitPackage) }),
  }),
);

export const PolicyImport = component(
  'PolicyImport',
  z.object({
    policy: Policy,
    version: PolicyVersion,
    createdPolicy: z.boolean().describe('false: a draft added to the existing policy with the file’s key'),
    addedToCatalog: z.array(z.string()).describe('Catalog keys the import added (existing ones are kept as they are)'),
    testCases: z.object({ added: z.number(), kept: z.number() }),
  }),
);

export const exportPolicy = defineOperation({
  id: 'exportPolicy',
  method: 'get',
  path: '/api/policies/{id}/export',
  summary: 'One policy file: a version (default: the one in effect, else the latest), its test cases and the catalog items it uses (download)',
  tags,
  roles: ['admin', 'author', 'approver', 'compliance', 'viewer'],
  params: idParams,
  query: z.object({ version: uuid.optional() }),
  responses: {
    200: {
      schema: PolicyFile,
      description: 'The file, with Content-Disposition: attachment',
      headers: { 'Content-Disposition': 'attachment; filename="<key>.v<n>.policy.json"' },
    },
  },
  errors: [404],
});

export const importPolicy = defineOperation({
  id: 'importPolicy',
  method: 'post',
  path: '/api/policies/import',
  summary:
    'Import a policy file as a draft (a new policy, or a new draft of the policy with its key); 422 POLICY_FILE_INVALID with each problem’s path in the file',
  tags,
  roles: ['admin', 'author'],
  body: documentedAs(z.unknown(), PolicyFile),
  bodyAlternatives: { 'multipart/form-data': z.object({ file: fileSchema }) },
  responses: { 201: PolicyImport },
  errors: [400, 409, 413, 422],
});
