import type { JobKind } from '../jobs/job-kind';
import { JobStore } from '../jobs/job-store';
import { statusMachine } from '../jobs/job-status';

/**
 * Statuses of a rating run (contract §8) and how a run moves between them: the job machinery's
 * queued → running, then proposed (all chunks evaluated and compared with the ledger) → approved
 * (four-eyes) → applied (at its effective instant); rejected / failed / cancelled end it.
 */
export const RATING_RUN_STATUS = statusMachine({
  queued: ['running', 'failed', 'cancelled'],
  running: ['running', 'proposed', 'failed', 'cancelled'],
  proposed: ['approved', 'rejected', 'cancelled'],
  approved: ['applied', 'failed', 'cancelled'],
  applied: [],
  rejected: [],
  failed: [],
  cancelled: [],
});
export type RatingRunStatus = (typeof RATING_RUN_STATUS.statuses)[number];

export const RATING_RUN_JOB: JobKind<RatingRunStatus> = {
  name: 'rating_run',
  table: 'rating_run',
  partTable: 'rating_run_part',
  partKey: 'run_id',
  entityType: 'rating_run',
  machine: RATING_RUN_STATUS,
  doneStatus: 'proposed',
  handler: 'rating/rating-chunk',
  lockNamespace: 7_240_011,
};

export const ratingRunStore = new JobStore<RatingRunStatus>(RATING_RUN_JOB);
