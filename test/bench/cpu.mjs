// CPU seconds of a process tree from /proc, for benchmarks on a shared machine (the wall time lies
// under load; the CPU a step costs does not depend on what else runs).
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) spent so far by a process tree: the API process (its job threads live
 * inside it) and its descendants — the embedded PostgreSQL server and every backend, with the time of
 * exited children their parents have reaped (cutime / cstime), so no backend's work is lost.
 * On a shared machine this is the figure that does not depend on what else runs: the wall time on
 * an idle machine is between cpu / cores (all of it in parallel) and cpu (none of it).
 */
export function treeCpu(rootPid) {
  const hz = 100; // USER_HZ on Linux
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      procs.set(Number(name), { comm, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / hz });
    } catch {
      // the process ended while we looked
    }
  }
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === rootPid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out = { node: 0, postgres: 0 };
  for (const [pid, p] of procs) if (inTree(pid)) out[p.comm.startsWith('node') ? 'node' : 'postgres'] += p.cpu;
  return out;
}

/** The CPU seconds a tree spent between two `treeCpu` readings: node (API + threads), postgres, total. */
export function cpuSpent(before, after) {
  const node = +(after.node - before.node).toFixed(2);
  const postgres = +(after.postgres - before.postgres).toFixed(2);
  return { node, postgres, total: +(node + postgres).toFixed(2) };
}
