/**
 * CPU time of the calling thread, ms, where the OS tells it (Linux: /proc/thread-self/schedstat, in ns), so that what
 * a request cost leaves out what V8's helper threads do meanwhile (concurrent marking of a large heap, which runs on
 * its own schedule); elsewhere the whole process's (process.cpuUsage()).
 */
import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';
let perThread = true;

export function threadCpuMs(): number {
  if (perThread) {
    try {
      const ms = Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
      if (Number.isFinite(ms)) return ms;
    } catch {
      // No such file: not Linux, or a kernel without scheduler statistics.
    }
    perThread = false;
  }
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
