// CPU time and resident memory of other processes, from Linux's /proc: bench:gateway samples the
// gateway and subgraph processes it started while it loads them, each on its own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** User plus system CPU time of a process, in clock ticks, from the text of /proc/<pid>/stat. */
export function cpuTicksFromStat(stat: string): number {
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses: the
  // fields are counted from the last ')'. utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`Not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** The resident set size in bytes, from the text of /proc/<pid>/status (its VmRSS line, in kB). */
export function rssBytesFromStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('No VmRSS line in /proc/<pid>/status.');
  return Number(match[1]) * 1024;
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export interface ProcessUsage {
  /** CPU time used over the sampled span, divided by its length: 1 is one core busy throughout. */
  cores: number;
  peakRssBytes: number;
}

const SAMPLE_EVERY_MS = 200;

/**
 * Samples each process from now until `stop()`: CPU time between the two ends, and the highest
 * resident size seen. Keys are names chosen by the caller (e.g. "gateway", "posts").
 */
export function sampleProcesses<Name extends string>(pids: Record<Name, number>): { stop(): Record<Name, ProcessUsage> } {
  const ticksPerSecond = clockTicksPerSecond();
  const names = Object.keys(pids) as Name[];
  const cpuSeconds = (name: Name) => cpuTicksFromStat(readFileSync(`/proc/${pids[name]}/stat`, 'utf8')) / ticksPerSecond;
  const rss = (name: Name) => rssBytesFromStatus(readFileSync(`/proc/${pids[name]}/status`, 'utf8'));
  const startCpu = new Map(names.map((name) => [name, cpuSeconds(name)]));
  const peak = new Map(names.map((name) => [name, rss(name)]));
  const started = performance.now();
  const sample = () => {
    for (const name of names) peak.set(name, Math.max(peak.get(name)!, rss(name)));
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      return Object.fromEntries(
        names.map((name) => [name, { cores: (cpuSeconds(name) - startCpu.get(name)!) / seconds, peakRssBytes: peak.get(name)! }]),
      ) as Record<Name, ProcessUsage>;
    },
  };
}
