import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyDefinition, PolicyFile, PolicyFileTestCase } from '@tierwise/policy-engine';
import { DEMO_PASSWORD } from './app-server';

/** The shipped CIB card template: its policy file. */
export const cardFile = JSON.parse(readFileSync(join(__dirname, '..', '..', 'apps', 'api', 'templates', 'cib-card.policy.json'), 'utf8')) as PolicyFile;

/** A tiny client for the API, used only to set up data the browser flow starts from. */
export class ApiClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiClient> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { accessToken: string };
    return new ApiClient(baseUrl, body.accessToken);
  }

  async request<T>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok && !okStatuses.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** Polls a rating run until it is `wanted` (a minute at most; a failed run fails at once). */
export async function waitForRun(client: ApiClient, id: string, wanted: string): Promise<{ id: string; status: string }> {
  const until = Date.now() + 60_000;
  for (;;) {
    const run = await client.request<{ id: string; status: string }>('GET', `/rating-runs/${id}`);
    if (run.status === wanted) return run;
    if (Date.now() > until || run.status === 'failed') throw new Error(`run ${id} is ${run.status}, not ${wanted}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SeededPolicy {
  policyId: string;
  key: string;
  publishedVersionId: string;
}

/**
 * A policy of its own (`key`) on the CIB card catalog, with `definition` published as version 1
 * through the real workflow (author creates and submits, approver approves and publishes), its test
 * cases added first. Catalog entries that already exist (e.g. loaded by the demo mode) are kept.
 */
export async function seedPolicy(
  baseUrl: string,
  key: string,
  definition: PolicyDefinition,
  options: { changeNote?: string; testCases?: PolicyFileTestCase[] } = {},
): Promise<SeededPolicy> {
  const admin = await ApiClient.login(baseUrl, 'admin');
  const author = await ApiClient.login(baseUrl, 'author');
  const approver = await ApiClient.login(baseUrl, 'approver');
  for (const fact of cardFile.catalog.facts) await admin.request('POST', '/facts', fact, [409, 422]);
  for (const benefit of cardFile.catalog.benefits) await admin.request('POST', '/benefits', benefit, [409, 422]);
  for (const pack of cardFile.catalog.benefitPackages) await admin.request('POST', '/benefit-packages', pack, [409, 422]);
  const policy = await author.request<{ id: string }>('POST', '/policies', {
    key,
    name: `${cardFile.policy.name} (${key})`,
  });
  const version = await author.request<{ id: string }>('POST', `/policies/${policy.id}/versions`, { definition, changeNote: options.changeNote });
  for (const testCase of options.testCases ?? []) await author.request('POST', `/policies/${policy.id}/test-cases`, testCase);
  await author.request('POST', `/policy-versions/${version.id}/submit`, {});
  await approver.request('POST', `/policy-versions/${version.id}/approve`, { comment: 'seed' });
  await approver.request('POST', `/policy-versions/${version.id}/publish`, {});
  return { policyId: policy.id, key, publishedVersionId: version.id };
}

/** The CIB card template as a policy of its own (`key`), its current version published, with its test cases. */
export async function seedCardPolicy(baseUrl: string, key: string): Promise<SeededPolicy> {
  return seedPolicy(baseUrl, key, cardFile.definition, { changeNote: cardFile.changeNote, testCases: cardFile.testCases });
}
