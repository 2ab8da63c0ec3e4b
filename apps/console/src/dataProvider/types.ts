/** The API's records as the console reads them (contract §3–6). */
import type { FactDefinition, PolicyDefinition, TierOutcome, TraceEntry } from '@tierwise/policy-engine';

/** `scheduled` = published with an effective date still to come (the API computes it). */
export type VersionStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'superseded' | 'retired' | 'discarded';

export interface PolicyVersion {
  id: string;
  policyId: string;
  number: number;
  status: VersionStatus;
  revision: number;
  definition: PolicyDefinition;
  changeNote?: string | null;
  basedOn?: string | null;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  createdBy?: string | null;
  updatedBy?: string | null;
  /** Everyone who edited the draft (they may not approve it). */
  editors?: string[];
  submittedBy?: string | null;
  submittedAt?: string | null;
  approvedBy?: string | null;
  publishedBy?: string | null;
  /** A retirement asked for and waiting for a second approver. */
  retireRequest?: { requestedBy: string; requestedAt: string; comment: string | null } | null;
  /** What retiring it now would leave without a version in effect (single version reads only). */
  retirementGap?: { from: string; until: string | null } | null;
  createdAt?: string;
  updatedAt?: string;
  comment?: string | null;
}

/** A shipped scheme (`GET /api/templates`). */
export interface TemplateSummary {
  key: string;
  name: string;
  nameEn: string;
  description: string;
  tiers: { key: string; name: string; nameEn?: string }[];
  versions: { number: number; changeNote: string; effectiveFrom: string | null }[];
  facts: string[];
  testCases: number;
}

export interface Policy {
  id: string;
  key: string;
  name: string;
  description?: string | null;
  activeVersionId?: string | null;
  activeVersionNumber?: number | null;
  scheduledVersions?: Pick<PolicyVersion, 'id' | 'number' | 'effectiveFrom'>[];
  latestVersionNumber?: number;
  /** Ids of versions in review. */
  pendingReview?: string[];
  createdAt?: string;
}

export interface TestCase {
  id: string;
  policyId: string;
  name: string;
  facts: Record<string, unknown>;
  expectedTier: string | null;
}

export interface TestRunResult {
  testCaseId?: string;
  name: string;
  expectedTier: string | null;
  actualTier: string | null;
  passed: boolean;
  error?: string;
}

export interface EvaluationOutcome {
  eligible: boolean;
  tier: (TierOutcome & { name: string; nameEn?: string }) | null;
  benefitPackage?: { key: string; name: string; nameEn?: string; benefits?: { key: string; name: string; nameEn?: string }[] } | null;
  scores: Record<string, number>;
  trace: TraceEntry[];
  explanation?: Explanation;
}

/** Plain-language lines, possibly one list per locale. */
export type Explanation = string | string[] | Partial<Record<'zh-CN' | 'en', string | string[]>>;

export interface Dataset {
  id: string;
  name: string;
  rowCount: number;
  columns: string[];
  createdAt?: string;
}

export type TierKey = string;
/** `null` tier = not rated; the API writes it as the key "null" in JSON objects. */
export interface SimulationSample {
  customerId?: string;
  facts?: Record<string, unknown>;
  baselineTier?: TierKey | null;
  candidateTier?: TierKey | null;
  explanation?: Explanation;
  baselineExplanation?: Explanation;
  trace?: TraceEntry[];
}

export interface SimulationGroup {
  group: Record<string, unknown> | string;
  total?: number;
  baseline: Record<string, number>;
  candidate: Record<string, number>;
  upgrades?: number;
  downgrades?: number;
  unchanged?: number;
}

/** A benefit package's cost in a simulation: unit cost (sum of its benefits') × customers, per side. */
export interface SimulationPackageCost {
  key: string;
  name: string;
  baselineUnitCost: number | null;
  candidateUnitCost: number | null;
  baselineCustomers: number;
  candidateCustomers: number;
  baselineCost: number;
  candidateCost: number;
  change: number;
}

export interface SimulationResult {
  total?: number;
  tiers?: { key: string; name: string; nameEn?: string; rank?: number; baselinePackage?: string | null; candidatePackage?: string | null }[];
  notRatedKey?: string;
  baseline: Record<string, number>;
  candidate: Record<string, number>;
  matrix: Record<string, Record<string, number>>;
  upgrades: number;
  downgrades: number;
  unchanged: number;
  groups?: SimulationGroup[];
  cost?: {
    baseline: number;
    candidate: number;
    change: number;
    changePct?: number | null;
    packages?: SimulationPackageCost[];
    benefitsWithoutUnitCost?: string[];
  } | null;
  samples?: Record<string, Record<string, SimulationSample[]>>;
}

export interface Simulation {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress?: { done: number; total: number };
  policyId?: string;
  candidateVersionId?: string;
  baselineVersionId?: string | null;
  candidate?: { id: string; number: number; status: string };
  baseline?: { id: string; number: number; status: string };
  datasetId?: string;
  groupBy?: string[];
  result?: SimulationResult;
  error?: string | null;
  createdAt?: string;
  createdBy?: string;
}

export interface AuditEvent {
  id: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  diff: unknown;
  comment?: string | null;
  prevHash: string;
  hash: string;
}

export interface ChainVerification {
  valid: boolean;
  count: number;
  /** The last verified event, to keep outside Tierwise as an anchor (`<seq>:<hash>`). */
  head?: { seq: number; hash: string } | null;
  brokenAt?: { id?: string; seq: number; code?: string; reason: string } | null;
}

export interface ValidationResponse {
  valid: boolean;
  errors: { path: string; message: string; code?: string }[];
  warnings: { path: string; message: string; code?: string }[];
}

/** A logged decision (contract §4). */
export interface Decision {
  id: string;
  decisionId?: string;
  customerId?: string | null;
  evaluatedAt: string;
  policy?: { key: string; versionId: string; number: number };
  policyKey?: string;
  versionId?: string;
  versionNumber?: number;
  eligible: boolean;
  /** The list gives the tier's key and rank; the detail also the tier itself. */
  tierKey?: string | null;
  tierRank?: number | null;
  tier?: { key: string; name: string; rank?: number } | null;
  scores?: Record<string, number>;
  facts?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  trace?: TraceEntry[];
  explanation?: Explanation;
  actor?: string;
}

export type { FactDefinition, PolicyDefinition };
