import { AuditEvent } from '../audit/audit-event.entity';
import { BenefitPackageRow, BenefitRow, FactRow } from '../catalog/catalog.entities';
import { DecisionRow } from '../evaluation/decision.entity';
import { PolicyRow, PolicyVersionRow, TestCaseRow } from '../policies/policy.entities';
import { User } from '../users/user.entity';
import { DatasetRow } from '../datasets/dataset.entity';
import { SimulationRow } from '../simulation/simulation.entity';
import { TierCurrentRow, TierHistoryRow, TierLedgerRow } from '../rating/ledger.entities';
import { RatingRunRow } from '../rating/rating-run.entity';
import { AppSetting } from './app-setting.entity';

export const ENTITIES = [
  AppSetting,
  User,
  AuditEvent,
  FactRow,
  BenefitRow,
  BenefitPackageRow,
  PolicyRow,
  PolicyVersionRow,
  TestCaseRow,
  DecisionRow,
  DatasetRow,
  SimulationRow,
  RatingRunRow,
  TierLedgerRow,
  TierHistoryRow,
  TierCurrentRow,
];
