import { loadConfig, workerSimulationThreads } from '../../src/config/config';

describe('simulation threads with several HTTP worker processes', () => {
  it('splits the default between the processes, at least one each', () => {
    expect(workerSimulationThreads({}, 2, 2)).toBe('1');
    expect(workerSimulationThreads({}, 2, 8)).toBe('4');
    expect(workerSimulationThreads({}, 4, 32)).toBe('2'); // default is at most 8 threads
    expect(workerSimulationThreads({}, 3, 2)).toBe('1');
  });
  it("keeps the operator's own SIMULATION_THREADS, which is then checked like any setting", () => {
    expect(workerSimulationThreads({ SIMULATION_THREADS: '6' }, 2, 2)).toBe('6');
    expect(loadConfig({ SIMULATION_THREADS: workerSimulationThreads({}, 2, 16) }).simulation.threads).toBe(4);
  });
});
