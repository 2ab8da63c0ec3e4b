import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum RatingExceptionCode {
  UnknownPolicy = 'RATING_UNKNOWN_POLICY',
  /** The customer was never rated under the policy (no ledger row at all). */
  NeverRated = 'LEDGER_NEVER_RATED',
  /** The customer has ledger rows, but none in effect at the instant asked for (before their first rating). */
  NotRatedAt = 'LEDGER_NOT_RATED_AT',
  BadInstant = 'RATING_BAD_INSTANT',
  RunNotFound = 'RATING_RUN_NOT_FOUND',
  UnknownDataset = 'RATING_UNKNOWN_DATASET',
  /** The snapshot has no customer id column: a rating needs to know whom it rates. */
  SnapshotWithoutIds = 'RATING_SNAPSHOT_WITHOUT_IDS',
  /** The snapshot was imported for another policy. */
  SnapshotOfOtherPolicy = 'RATING_SNAPSHOT_OF_OTHER_POLICY',
  /** The snapshot lacks a fact the version needs, or holds it with another type. */
  SnapshotMissingFacts = 'RATING_SNAPSHOT_MISSING_FACTS',
  BadGroupBy = 'RATING_BAD_GROUP_BY',
  NoVersionInEffect = 'RATING_NO_VERSION_IN_EFFECT',
  /** The effective instant is not after the ledger's last applied run. */
  OutOfOrder = 'RATING_OUT_OF_ORDER',
  /** Another run of the policy is approved and waiting for (or in) its apply. */
  ApplyPending = 'RATING_APPLY_PENDING',
  /** The ledger changed (another run was applied) since this run compared with it. */
  Stale = 'RATING_STALE',
  /** A different version is in effect at the run's instant than the one it evaluated with. */
  VersionChanged = 'RATING_VERSION_CHANGED',
  /**
   * A regional rollout is part-way at the run's instant and a version then in effect ranks customers against the
   * population: one run cannot freeze one population's cut-offs for two versions. (Otherwise a run during a rollout
   * rates each customer with the version their segment has.)
   */
  RolloutUnderWay = 'RATING_ROLLOUT_UNDER_WAY',
  /** Four-eyes: whoever started a run cannot approve or reject it. */
  SamePerson = 'RATING_SAME_PERSON',
  NotInStatus = 'RATING_WRONG_STATUS',
}

export const RatingException = codedException<RatingExceptionCode>('RatingException', {
  [RatingExceptionCode.UnknownPolicy]: 'validation',
  [RatingExceptionCode.NeverRated]: 'not-found',
  [RatingExceptionCode.NotRatedAt]: 'not-found',
  [RatingExceptionCode.BadInstant]: 'bad-request',
  [RatingExceptionCode.RunNotFound]: 'not-found',
  [RatingExceptionCode.UnknownDataset]: 'validation',
  [RatingExceptionCode.SnapshotWithoutIds]: 'validation',
  [RatingExceptionCode.SnapshotOfOtherPolicy]: 'validation',
  [RatingExceptionCode.SnapshotMissingFacts]: 'validation',
  [RatingExceptionCode.BadGroupBy]: 'validation',
  [RatingExceptionCode.NoVersionInEffect]: 'validation',
  [RatingExceptionCode.OutOfOrder]: 'conflict',
  [RatingExceptionCode.ApplyPending]: 'conflict',
  [RatingExceptionCode.Stale]: 'conflict',
  [RatingExceptionCode.VersionChanged]: 'conflict',
  [RatingExceptionCode.RolloutUnderWay]: 'validation',
  [RatingExceptionCode.SamePerson]: 'forbidden',
  [RatingExceptionCode.NotInStatus]: 'conflict',
} satisfies Record<RatingExceptionCode, ErrorKind>);
