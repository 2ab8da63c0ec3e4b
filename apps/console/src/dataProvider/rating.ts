import { requestJson } from './httpClient';
import { download, type FileFormat } from './download';

import type { components } from './api.gen';

/**
 * Rating runs and the tier ledger (contract §8), as the API answers them: generated from the
 * contract (api.gen.ts), so a change of the API's shape fails the console's typecheck.
 */
type Schemas = components['schemas'];

export type RatingRun = Schemas['RatingRun'];
export type RatingRunStatus = RatingRun['status'];
export type RatingRunResult = Schemas['RatingRunResult'];
export type RunTier = Schemas['RunTier'];
/** One group of the proposal (the run's groupBy facts). */
export type RatingRunGroup = RatingRunResult['groups'][number];
/** Samples of one cell of the matrix and one rule: who moved (or was held) from → to, and why. */
export type RatingRunSample = RatingRunResult['samples'][number];
export type RatingRunSampleCustomer = RatingRunSample['customers'][number];
export type LocalText = RatingRunSample['lifecycle'];
export type RatingRunRequest = Schemas['StartRatingRunBody'];

/** One row of a customer's ledger history (oldest first): the tier, since when, why, and where its trace is. */
export type TierHistoryEntry = Schemas['TierHistoryEntry'];

/** A rating cycle: a policy's period, the snapshot expected for it, the run that rated it, overdue when not rated by its deadline. */
export type RatingCycle = Schemas['RatingCycle'];

/** The official ledger at two instants (contract §8 period report). */
export type TierReport = Schemas['TierReport'];

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
