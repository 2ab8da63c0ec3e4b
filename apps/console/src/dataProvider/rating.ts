import { requestJson } from './httpClient';
import { download, type FileFormat } from './download';

/** Rating runs and the tier ledger (contract §8), as the API answers them. */
export type RatingRunStatus = 'queued' | 'running' | 'proposed' | 'approved' | 'applied' | 'rejected' | 'failed' | 'cancelled';

export interface LocalText {
  'zh-CN': string;
  en: string;
}

export interface RunTier {
  key: string;
  name: string;
  nameEn?: string | null;
  rank?: number;
}

export interface RatingRunSampleCustomer {
  row: number;
  customerId: string | null;
  facts: Record<string, unknown>;
  rated: string | null;
  explanation: { 'zh-CN': string[]; en: string[] };
  lifecycle: LocalText;
}

/** Samples of one cell of the matrix and one rule: who moved (or was held) from → to, and why. */
export interface RatingRunSample {
  from: string;
  to: string;
  rated: string;
  change: string;
  rule: string | null;
  lifecycle: LocalText;
  customers: RatingRunSampleCustomer[];
}

export interface RatingRunGroup {
  group: Record<string, unknown>;
  total: number;
  entered: number;
  upgrades: number;
  downgrades: number;
  unchanged: number;
  held: number;
  after: Record<string, number>;
}

export interface RatingRunResult {
  total: number;
  entered: number;
  upgrades: number;
  downgrades: number;
  unchanged: number;
  held: number;
  staged: number;
  matrix: Record<string, Record<string, number>>;
  matrixHash: string;
  heldBy: Record<string, number>;
  notRatedKey: string;
  tiers: RunTier[];
  groupBy: string[];
  groups: RatingRunGroup[];
  samples: RatingRunSample[];
  version: { id: string; number: number };
  lifecycle: { downgradeGraceRuns?: number; maxDowngradeSteps?: number } | null;
}

export interface RatingRun {
  id: string;
  policy: string;
  policyId: string;
  versionId: string;
  version: { id: string; number: number };
  datasetId: string;
  status: RatingRunStatus;
  progress: { done: number; total: number };
  effectiveAt: string | null;
  basedOnRunId: string | null;
  groupBy: string[];
  comment: string | null;
  startedBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  rejectedBy: string | null;
  rejectedAt: string | null;
  decisionComment: string | null;
  appliedAt: string | null;
  cancelledBy: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  result?: RatingRunResult;
}

export interface RatingRunRequest {
  policy: string;
  datasetId: string;
  effectiveAt?: string;
  comment?: string;
  groupBy?: string[];
}

export interface LedgerReason extends LocalText {
  code: string;
  [detail: string]: unknown;
}

export type TierChange = 'enter' | 'upgrade' | 'downgrade' | 'override' | 'revert';

/** One row of a customer's ledger history (oldest first). */
export interface TierHistoryEntry {
  policy: string;
  tier: RunTier | null;
  validFrom: string;
  validTo: string | null;
  previousTier: string | null;
  change: TierChange;
  reason: LedgerReason;
  runId: string | null;
  versionId: string;
  decidedAt: string;
  trace: { decisionId: string } | { runId: string; snapshotRow: number | null } | null;
}

/** A rating cycle: a policy's period, the snapshot expected for it, the run that rated it, overdue when not rated by its deadline. */
export interface RatingCycle {
  id: string;
  policy: string;
  frequency: 'monthly' | 'quarterly' | 'yearly';
  period: string;
  periodStart: string;
  periodEnd: string;
  deadline: string;
  snapshot: { id: string; name: string; asOf: string } | null;
  run: { id: string; status: RatingRunStatus; appliedAt: string | null } | null;
  status: 'awaiting-snapshot' | 'awaiting-run' | 'running' | 'awaiting-approval' | 'approved' | 'rated';
  overdue: boolean;
  late: boolean;
}

/** The official ledger at two instants (contract §8 period report). */
export interface TierReport {
  policy: string;
  at: string;
  compareTo: string | null;
  groupBy: string | null;
  tiers: RunTier[];
  notRatedKey: string;
  customers: { at: number; compareTo?: number };
  total: { at: Record<string, number>; compareTo?: Record<string, number> };
  percent: { at: Record<string, number>; compareTo?: Record<string, number> };
  groups: {
    group: Record<string, unknown>;
    at: Record<string, number>;
    compareTo: Record<string, number>;
    percent: { at: Record<string, number>; compareTo?: Record<string, number> };
  }[];
  movement?: Record<string, Record<string, number>>;
}

export interface TierReportQuery {
  policy: string;
  at?: string;
  compareTo?: string;
  groupBy?: string;
}

const reportQuery = (q: TierReportQuery) => new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();

const run = (id: string) => `/rating-runs/${encodeURIComponent(id)}`;

export const ratingApi = {
  startRatingRun: (request: RatingRunRequest) => requestJson<RatingRun>('/rating-runs', 'POST', request),
  getRatingRun: (id: string) => requestJson<RatingRun>(run(id)),
  approveRatingRun: (id: string, comment?: string) => requestJson<RatingRun>(`${run(id)}/approve`, 'POST', comment ? { comment } : {}),
  rejectRatingRun: (id: string, comment: string) => requestJson<RatingRun>(`${run(id)}/reject`, 'POST', { comment }),
  cancelRatingRun: (id: string) => requestJson<RatingRun>(`${run(id)}/cancel`, 'POST', {}),
  getTierReport: (q: TierReportQuery) => requestJson<TierReport>(`/reports/tiers?${reportQuery(q)}`),
  /** The same report as a file, written server-side by the one formula-safe writer. */
  downloadTierReport: (q: TierReportQuery, format: FileFormat, lang: string) =>
    download(`/reports/tiers?${reportQuery(q)}&format=${format}&lang=${encodeURIComponent(lang)}`, `tier-report.${format}`),
  getRatingCycles: (policy?: string) => requestJson<RatingCycle[]>(`/rating-cycles${policy ? `?policy=${encodeURIComponent(policy)}` : ''}`),
  /** The customer's ledger history under every policy (or one), oldest first. */
  getCustomerTiers: (customerId: string, policy?: string) =>
    requestJson<TierHistoryEntry[]>(`/customers/${encodeURIComponent(customerId)}/tiers${policy ? `?policy=${encodeURIComponent(policy)}` : ''}`),
};
