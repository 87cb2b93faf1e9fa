/**
 * Every stop reports: a real `foliocheck` process sent SIGTERM (or Ctrl-C's SIGINT) mid-run ends with the
 * `incomplete` verdict, the figures so far and valid `--json`, exit 3; `specs` stops as a whole.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;

interface Stopped {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly afterSignalMs: number;
}

/** CPU time the process `pid` has used so far (all its threads), in ms; -1 once it is gone. */
function cpuMs(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return -1;
  }
}

/**
 * Runs `foliocheck ...args`, sends `signal` once it has used `afterCpuMs` of CPU time (start-up takes
 * about 500 ms: past it, the run has installed its handlers and is at work, however loaded the machine,
 * where a wall-clock delay could signal a process still loading), and waits for it to end.
 */
function stopMidRun(args: readonly string[], signal: NodeJS.Signals, afterCpuMs = 1500): Promise<Stopped> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const pid = child.pid as number;
    const started = performance.now();
    // Polled; a run that never gets there in a minute is signalled anyway (and fails on its report).
    const poll = setInterval(() => {
      const used = cpuMs(pid);
      if (used >= 0 && used < afterCpuMs && performance.now() - started < 60_000) return;
      clearInterval(poll);
      sentAt = performance.now();
      child.kill(signal);
    }, 20);
    // Never leave a run behind: one that ignores the signal is killed (and the test fails on its status).
    const kill = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('close', (status) => {
      clearInterval(poll);
      clearTimeout(kill);
      resolve({ status, stdout, stderr, afterSignalMs: performance.now() - sentAt });
    });
  });
}

describe('a signal mid-run ends with a report', () => {
  it('SIGTERM to explore: incomplete (interrupted), the figures so far, valid --json, exit 3', async () => {
    const r = await stopMidRun(['explore', '--preset', 'core-safe', '--json'], 'SIGTERM');
    expect(r.status, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('incomplete');
    expect(j.reason).toBe('interrupted');
    expect(j.states).toBeGreaterThan(1);
    expect(j.edges).toBeGreaterThan(0);
    expect(r.afterSignalMs).toBeLessThan(5000);
  }, 90_000);

  it('SIGTERM to explore on 2 workers: the same report', async () => {
    const r = await stopMidRun(['explore', '--preset', 'core-safe', '--workers', '2', '--json'], 'SIGTERM', 2500);
    expect(r.status, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('incomplete');
    expect(j.reason).toBe('interrupted');
    expect(j.states).toBeGreaterThan(1);
  }, 90_000);

  it('SIGTERM to simulate: incomplete with the states visited so far, exit 3', async () => {
    const args = ['simulate', '--preset', 'whole-model', '--runs', '100000000', '--seed', '1', '--json'];
    const r = await stopMidRun(args, 'SIGTERM');
    expect(r.status, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('incomplete');
    expect(j.incomplete.reason).toBe('interrupted');
    expect(j.states).toBeGreaterThan(1);
  }, 90_000);

  it('the first Ctrl-C stops specs as a whole: the specs run so far, then no other, exit 3', async () => {
    const r = await stopMidRun(['specs', '--all', '--json'], 'SIGINT', 2500);
    expect(r.status, r.stderr).toBe(3);
    const results = JSON.parse(r.stdout) as { name: string; verdict: string }[];
    expect(Array.isArray(results)).toBe(true);
    // The spec in progress reports incomplete and is the last one: the rest were not started.
    const stoppedAt = results.findIndex((x) => x.verdict === 'incomplete');
    expect(stoppedAt === -1 || stoppedAt === results.length - 1).toBe(true);
    expect(r.afterSignalMs).toBeLessThan(5000);
  }, 90_000);
});
