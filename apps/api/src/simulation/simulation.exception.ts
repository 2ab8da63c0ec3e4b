import { codedException, ErrorKind } from '../common/errors/app.exception';

export enum SimulationExceptionCode {
  SimulationNotFound = 'SIMULATION_NOT_FOUND',
  UnknownVersion = 'SIMULATION_UNKNOWN_VERSION',
  UnknownDataset = 'SIMULATION_UNKNOWN_DATASET',
  DifferentPolicies = 'SIMULATION_DIFFERENT_POLICIES',
  NoBaseline = 'SIMULATION_NO_BASELINE',
  DatasetMissingFacts = 'SIMULATION_DATASET_MISSING_FACTS',
  IncompatibleColumn = 'SIMULATION_INCOMPATIBLE_COLUMN',
  BadGroupBy = 'SIMULATION_BAD_GROUP_BY',
  NotCancellable = 'SIMULATION_NOT_CANCELLABLE',
  NotFinished = 'SIMULATION_NOT_FINISHED',
  /** The dataset the run was made on has been deleted: its per-customer results went with it. */
  DatasetDeleted = 'SIMULATION_DATASET_DELETED',
}

export const SimulationException = codedException<SimulationExceptionCode>('SimulationException', {
  [SimulationExceptionCode.SimulationNotFound]: 'not-found',
  [SimulationExceptionCode.UnknownVersion]: 'validation',
  [SimulationExceptionCode.UnknownDataset]: 'validation',
  [SimulationExceptionCode.DifferentPolicies]: 'validation',
  [SimulationExceptionCode.NoBaseline]: 'validation',
  [SimulationExceptionCode.DatasetMissingFacts]: 'validation',
  [SimulationExceptionCode.IncompatibleColumn]: 'validation',
  [SimulationExceptionCode.BadGroupBy]: 'validation',
  [SimulationExceptionCode.NotCancellable]: 'conflict',
  [SimulationExceptionCode.NotFinished]: 'conflict',
  [SimulationExceptionCode.DatasetDeleted]: 'conflict',
} satisfies Record<SimulationExceptionCode, ErrorKind>);
