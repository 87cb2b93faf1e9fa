/**
 * Checkpoints of the parallel search (`explore --workers 2 --checkpoint DIR`, `--resume DIR`): a search
 * killed part-way (SIGKILL, no chance to clean up) resumes from its last level's checkpoint to exactly the
 * counts of a 2-worker search never stopped, in both stores; one stopped by SIGTERM pauses in the middle of
 * a level, writes that, and resumes to the same counts, or to a counterexample of the same length; a
 * checkpoint of 2 workers is refused on another number. Real processes of the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'foliocheck-checkpoint-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  states: number;
  edges: number;
  depth: number;
  levels: number[];
  verdict: string;
  coverage?: unknown;
  invariant?: string;
  trace?: unknown[];
}

function explore(args: readonly string[]): Result {
  const r = spawnSync(process.execPath, [BIN, 'explore', ...args, '--json'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Result;
}

/** The level the newest checkpoint in `ck` resumes at, or -1 (none yet, or being renamed). */
function checkpointLevel(ck: string): number {
  try {
    return (JSON.parse(readFileSync(join(ck, 'current', 'meta.json'), 'utf8')) as { level: number }).level;
  } catch {
    return -1;
  }
}

/**
 * Starts a search checkpointing at every level and stops it with `signal` once a checkpoint at `level` or
 * deeper is on disk.
 */
async function stopAtLevel(args: readonly string[], ck: string, level: number, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [BIN, 'explore', ...args, '--checkpoint', ck, '--every', '0', '--json'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 1200 && checkpointLevel(ck) < level && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(child.exitCode, 'the search ended before the checkpoint awaited').toBeNull();
  child.kill(signal);
  await exited;
}

const counts = (r: Result) => ({
  verdict: r.verdict,
  states: r.states,
  edges: r.edges,
  depth: r.depth,
  levels: r.levels,
  coverage: r.coverage,
});

const P0 = ['--preset', 'core-safe-p0', '--workers', '2'];
/** Uninterrupted 2-worker searches, by arguments (each is run once). */
const wholes = new Map<string, Result>();
const whole = (args: readonly string[]): Result => {
  const key = args.join(' ');
  const r = wholes.get(key) ?? explore(args);
  wholes.set(key, r);
  return r;
};

describe('checkpoint and resume on 2 workers', () => {
  for (const store of ['exact', 'fingerprint'] as const) {
    it(`SIGKILL part-way, then --resume: the counts of an uninterrupted 2-worker search (${store} store)`, async () => {
      const args = [...P0, '--store', store];
      const ck = join(dir, store);
      await stopAtLevel(args, ck, 6, 'SIGKILL');
      const resumed = explore([...args, '--resume', ck]);
      // bench-core's published figures for core-safe-p0 (docs/bench-core.md).
      expect(whole(args).states).toBe(185042);
      expect(counts(resumed)).toEqual(counts(whole(args)));
    }, 120_000);
  }

  it('SIGTERM in the middle of a level: the pause is written, and resumes to the same counts', async () => {
    const ck = join(dir, 'paused');
    await stopAtLevel(P0, ck, 8, 'SIGTERM');
    const meta = JSON.parse(readFileSync(join(ck, 'current', 'meta.json'), 'utf8')) as { level: number };
    const part = JSON.parse(readFileSync(join(ck, 'current', 'w0', 'part.json'), 'utf8')) as { midLevel: boolean };
    // The stop's own checkpoint: at the level it cut short, not the last level boundary's.
    expect(part.midLevel).toBe(true);
    expect(meta.level).toBeGreaterThanOrEqual(8);
    const resumed = explore([...P0, '--resume', ck]);
    expect(counts(resumed)).toEqual(counts(whole([...P0, '--store', 'exact'])));
  }, 120_000);

  it('SIGTERM before the violation, then --resume: the same verdict and counterexample length', async () => {
    // dataIsolation fails after 4 steps here; the first levels take about a second on 2 workers.
    const args = ['--preset', 'whole-model', '--era', '5.7', '--invariant', 'dataIsolation', '--workers', '2'];
    const ck = join(dir, 'violation');
    await stopAtLevel(args, ck, 1, 'SIGTERM');
    const resumed = explore([...args, '--resume', ck]);
    const w = whole(args);
    expect(w.verdict).toBe('violation');
    expect(resumed.verdict).toBe(w.verdict);
    expect(resumed.invariant).toBe(w.invariant);
    expect(resumed.trace?.length).toBe(w.trace?.length);
    expect(resumed.depth).toBe(w.depth);
  }, 120_000);

  it('refuses a checkpoint of 2 workers on another number, with the number to use', async () => {
    const ck = join(dir, 'exact');
    if (checkpointLevel(ck) < 0) await stopAtLevel([...P0, '--store', 'exact'], ck, 1, 'SIGKILL');
    for (const workers of ['1', '3']) {
      const r = spawnSync(
        process.execPath,
        [BIN, 'explore', '--preset', 'core-safe-p0', '--workers', workers, '--resume', ck],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^foliocheck: --resume: .*expected a checkpoint of ${workers} workers?.*, got one of 2 workers`),
      );
    }
  }, 120_000);
});
