import type { components } from './api.gen';
import type { PolicyDiff } from '@tierwise/policy-engine';
import { HttpError } from 'react-admin';
import { download } from './download';
import { API_URL, apiErrorMessage, requestJson } from './httpClient';
import { session } from './session';
import type {
  Decision,
  EvaluationOutcome,
  Policy,
  PolicyDefinition,
  PolicyVersion,
  TemplateSummary,
  TestCase,
  TestCaseBody,
  TestRunResult,
  ValidationResponse,
} from './types';

/** `GET /policy-versions/:id/diff?against=`: the engine's per-tier diff from `against` (from) to `id` (to). */
export type VersionDiff = PolicyDiff & {
  from: { id: string; number: number };
  to: { id: string; number: number };
  /** Each side's regional rollout, worded by the engine (contract §11). */
  rollout?: components['schemas']['VersionDiff']['rollout'];
};

export type WorkflowAction = 'submit' | 'approve' | 'reject' | 'publish' | 'retire' | 'approve-retirement' | 'reject-retirement' | 'withdraw' | 'discard';

const enc = encodeURIComponent;

/** What `POST /policies/import` answers: the new draft, and what the import added. */
export interface PolicyImportResult {
  policy: Policy;
  version: PolicyVersion;
  createdPolicy: boolean;
  addedToCatalog: string[];
  testCases: { added: number; kept: number };
}

/** A policy file (multipart field `file`) imported as a draft; the API checks it and answers 422 with each problem's path in the file. */
async function importPolicyFile(file: File): Promise<PolicyImportResult> {
  const form = new FormData();
  form.append('file', file);
  const token = session.token();
  const response = await fetch(`${API_URL}/policies/import`, {
    method: 'POST',
    body: form,
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(apiErrorMessage(body, response.statusText), response.status, body);
  return body as PolicyImportResult;
}

/** Policies, versions, the workflow and evaluation of a version (contract §3–4). */
export const policyApi = {
  getVersion: (id: string) => requestJson<PolicyVersion>(`/policy-versions/${enc(id)}`),
  createVersion: (policyId: string, body: { definition: PolicyDefinition; changeNote?: string; basedOn?: string }) =>
    requestJson<PolicyVersion>(`/policies/${enc(policyId)}/versions`, 'POST', body),
  /** Saves a draft; `revision` guards against overwriting someone else's edit (409/412 when stale). */
  saveVersion: (id: string, revision: number, body: { definition: PolicyDefinition; changeNote?: string }) =>
    requestJson<PolicyVersion>(`/policy-versions/${enc(id)}`, 'PUT', body, { 'If-Match': String(revision) }),
  workflow: (id: string, action: WorkflowAction, body: { comment?: string; effectiveFrom?: string; acknowledgeGap?: boolean } = {}) =>
    requestJson<PolicyVersion>(`/policy-versions/${enc(id)}/${action}`, 'POST', body),
  validateDefinition: (definition: PolicyDefinition) => requestJson<ValidationResponse>('/policies/validate', 'POST', { definition }),
  /** Evaluates a version, or with `definition` the given (unsaved) definition in its place; never logged. */
  evaluateVersion: (id: string, facts: Record<string, unknown>, definition?: PolicyDefinition) =>
    requestJson<EvaluationOutcome>(`/policy-versions/${enc(id)}/evaluate`, 'POST', definition ? { facts, definition } : { facts }),
  diffVersions: (id: string, againstId: string) => requestJson<VersionDiff>(`/policy-versions/${enc(id)}/diff?against=${enc(againstId)}`),
  getDecision: (id: string) => requestJson<Decision>(`/decisions/${enc(id)}`),
  listTestCases: (policyId: string) => requestJson<TestCase[]>(`/policies/${enc(policyId)}/test-cases`),
  createTestCase: (policyId: string, body: TestCaseBody) => requestJson<TestCase>(`/policies/${enc(policyId)}/test-cases`, 'POST', body),
  updateTestCase: (policyId: string, id: string, body: TestCaseBody) => requestJson<TestCase>(`/policies/${enc(policyId)}/test-cases/${enc(id)}`, 'PUT', body),
  deleteTestCase: (policyId: string, id: string) => requestJson<unknown>(`/policies/${enc(policyId)}/test-cases/${enc(id)}`, 'DELETE'),
  /** Downloads the policy file of a version (default: the one in effect, else the latest). */
  exportPolicy: (policyId: string, versionId?: string) =>
    download(`/policies/${enc(policyId)}/export${versionId ? `?version=${enc(versionId)}` : ''}`, 'policy.policy.json'),
  importPolicyFile,
  listTemplates: () => requestJson<TemplateSummary[]>('/templates'),
  createPolicyFromTemplate: (template: string, body: { key?: string; name?: string }) =>
    requestJson<{ policy: Policy; version: PolicyVersion; addedToCatalog: string[]; testCases: number }>(`/templates/${enc(template)}/policy`, 'POST', body),
  /** Runs the policy's test cases on a version, or with `definition` on that (unsaved) definition in its place. */
  runTests: async (versionId: string, definition?: PolicyDefinition): Promise<TestRunResult[]> => {
    const run = await requestJson<{ results: TestRunResult[] }>(`/policy-versions/${enc(versionId)}/test-run`, 'POST', definition ? { definition } : {});
    return run.results;
  },
};
