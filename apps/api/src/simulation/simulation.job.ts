import type { JobKind } from '../jobs/job-kind';
import { JobStore } from '../jobs/job-store';
import { statusMachine } from '../jobs/job-status';

/** Statuses of a simulation (contract §5) and how a run moves between them. */
export const SIMULATION_STATUS = statusMachine({
  queued: ['running', 'failed', 'cancelled'],
  running: ['running', 'succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
});
export type SimulationStatus = (typeof SIMULATION_STATUS.statuses)[number];

export const SIMULATION_JOB: JobKind<SimulationStatus> = {
  name: 'simulation',
  table: 'simulation',
  partTable: 'simulation_part',
  partKey: 'simulation_id',
  entityType: 'simulation',
  machine: SIMULATION_STATUS,
  doneStatus: 'succeeded',
  handler: 'simulation/simulation-chunk',
  lockNamespace: 7_240_010,
};

export const simulationStore = new JobStore<SimulationStatus>(SIMULATION_JOB);
