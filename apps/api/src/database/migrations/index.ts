import { Foundation1732340000000 } from './1732340000000-foundation';
import { AuthAudit1732340000100 } from './1732340000100-auth-audit';
import { Policies1732340000200 } from './1732340000200-policies';
import { Simulation1732340000400 } from './1732340000400-simulation';
import { TokenVersion1732340000500 } from './1732340000500-token-version';
import { DatasetAsOf1796118192417 } from './1796118192417-dataset-as-of';
import { AuditKey1796119051055 } from './1796119051055-audit-key';
import { TierLedger1796122154796 } from './1796122154796-tier-ledger';
import { RatingRuns1796122154797 } from './1796122154797-rating-runs';
import { RetirementFourEyes1796122728851 } from './1796122728851-retirement-four-eyes';
import { EvidenceAppendOnly1796122728947 } from './1796122728947-evidence-append-only';
import { FactSensitivity1796123268230 } from './1796123268230-fact-sensitivity';
import { VersionDiscarded1796123795848 } from './1796123795848-version-discarded';
import { LoginThrottle1796124006400 } from './1796124006400-login-throttle';
import { AccountControl1796124500000 } from './1796124500000-account-control';
import { Overrides1796131209924 } from './1796131209924-overrides';
import { RatingCycles1796133118761 } from './1796133118761-rating-cycles';
import { TierEvents1796134095796 } from './1796134095796-tier-events';
import { EntitlementChecks1796134500000 } from './1796134500000-entitlement-checks';
import { Rollout1796134600000 } from './1796134600000-rollout';
import { WebhookClaims1796134812345 } from './1796134812345-webhook-claims';
import { DecisionRetention1796135000000 } from './1796135000000-decision-retention';
import { PopulationCutoffs1796135100000 } from './1796135100000-population-cutoffs';
import { DecisionTraceJson1796135200000 } from './1796135200000-decision-trace-json';
import { LedgerApply1796135300000 } from './1796135300000-ledger-apply';
import { RolloutLedger1796135400000 } from './1796135400000-rollout-ledger';
import { HistoryRunCheck1796135500000 } from './1796135500000-history-run-check';
import { HistoryRunCheckPartitions1796135600000 } from './1796135600000-history-run-check-partitions';
import { HistoryHotClose1796200000000 } from './1796200000000-history-hot-close';
import { DecisionDerivedTrace1796300300000 } from './1796300300000-decision-derived-trace';

/** Every migration, oldest first. Run at startup; `synchronize` is never used. */
export const MIGRATIONS = [
  Foundation1732340000000,
  AuthAudit1732340000100,
  Policies1732340000200,
  Simulation1732340000400,
  TokenVersion1732340000500,
  DatasetAsOf1796118192417,
  AuditKey1796119051055,
  TierLedger1796122154796,
  RatingRuns1796122154797,
  RetirementFourEyes1796122728851,
  EvidenceAppendOnly1796122728947,
  FactSensitivity1796123268230,
  VersionDiscarded1796123795848,
  LoginThrottle1796124006400,
  AccountControl1796124500000,
  Overrides1796131209924,
  RatingCycles1796133118761,
  TierEvents1796134095796,
  EntitlementChecks1796134500000,
  Rollout1796134600000,
  WebhookClaims1796134812345,
  DecisionRetention1796135000000,
  PopulationCutoffs1796135100000,
  DecisionTraceJson1796135200000,
  LedgerApply1796135300000,
  RolloutLedger1796135400000,
  HistoryRunCheck1796135500000,
  HistoryRunCheckPartitions1796135600000,
  HistoryHotClose1796200000000,
  DecisionDerivedTrace1796300300000,
];
