// CPU time and memory come from Linux's /proc text formats: parsed by position and by line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuTicksFromStat, rssBytesFromStatus, sampleProcesses } from './process-usage.ts';

describe('cpuTicksFromStat', () => {
  it('adds utime and stime (fields 14 and 15), counting the fields after the command name', () => {
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 25 0 0 20 0 11 0 3190 1234567 5000 18446744073709551615';
    expect(cpuTicksFromStat(stat)).toBe(175);
  });

  it('is not misled by spaces and parentheses in the command name', () => {
    const stat = '77 (my (odd) name) R 1 77 77 0 -1 4194560 10 0 0 0 8 2 0 0 20 0 1 0 100 200 300';
    expect(cpuTicksFromStat(stat)).toBe(10);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => cpuTicksFromStat('nothing here')).toThrow(/stat/);
  });
});

describe('rssBytesFromStatus', () => {
  it('reads VmRSS in kB as bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmRSS:\t  123456 kB\nVmHWM:\t  200000 kB\n';
    expect(rssBytesFromStatus(status)).toBe(123456 * 1024);
  });

  it('refuses a status without VmRSS', () => {
    expect(() => rssBytesFromStatus('Name:\tzombie\n')).toThrow(/VmRSS/);
  });
});

describe.runIf(process.platform === 'linux')('sampleProcesses', () => {
  it("reports this process's CPU use and a peak resident size at least its current one", () => {
    const current = rssBytesFromStatus(readFileSync('/proc/self/status', 'utf8'));
    const sampler = sampleProcesses({ self: process.pid });
    let spin = 0;
    for (let i = 0; i < 2_000_000; i++) spin += Math.sqrt(i);
    const { self } = sampler.stop();
    expect(spin).toBeGreaterThan(0);
    expect(self.cores).toBeGreaterThanOrEqual(0);
    expect(self.peakRssBytes).toBeGreaterThanOrEqual(current * 0.5);
  });
});
