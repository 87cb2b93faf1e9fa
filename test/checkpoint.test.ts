/**
 * Checkpoints (`explore --checkpoint DIR`, `--resume DIR`): a search killed part-way (SIGKILL, no chance to
 * clean up) and resumed from its last checkpoint ends with exactly the counts of a search never stopped, in
 * both stores; one stopped by SIGTERM while going on past violations resumes to the same shortest
 * counterexamples. Real processes of the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'foliocheck-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  states: number;
  edges: number;
  depth: number;
  levels: number[];
  verdict: string;
  coverage?: unknown;
  violations?: { invariant: string; trace: unknown[] }[];
}

function explore(args: readonly string[]): Result {
  const r = spawnSync(process.execPath, [BIN, 'explore', ...args, '--json'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Result;
}

/** Starts a search and stops it with `signal` once its first checkpoint is on disk. */
async function stopAfterCheckpoint(args: readonly string[], ck: string, signal: NodeJS.Signals): Promise<void> {
  const child = spawn(
    process.execPath,
    [BIN, 'explore', ...args, '--checkpoint', ck, '--every', '0', '--spill-dir', dir, '--json'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const meta = join(ck, 'current', 'meta.json');
  for (let i = 0; i < 600 && !existsSync(meta) && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(child.exitCode, 'the search ended before its first checkpoint').toBeNull();
  child.kill(signal);
  await exited;
}

const same = (a: Result, b: Result) => ({
  states: [a.states, b.states],
  edges: [a.edges, b.edges],
  depth: [a.depth, b.depth],
});

describe('checkpoint and resume', () => {
  for (const store of ['exact', 'fingerprint'] as const) {
    it(`SIGKILL part-way, then --resume: the counts of an uninterrupted search (${store} store)`, async () => {
      const args = ['--preset', 'core-safe-p0', '--store', store];
      const ck = join(dir, store);
      await stopAfterCheckpoint(args, ck, 'SIGKILL');
      const resumed = explore([...args, '--resume', ck]);
      const whole = explore([...args, '--workers', '1']);
      // bench-core's published figures for core-safe-p0 (docs/bench-core.md).
      expect(whole.states).toBe(185042);
      const s = same(resumed, whole);
      expect(s.states[0]).toBe(s.states[1]);
      expect(s.edges[0]).toBe(s.edges[1]);
      expect(s.depth[0]).toBe(s.depth[1]);
      expect(resumed.levels).toEqual(whole.levels);
      expect(resumed.coverage).toEqual(whole.coverage);
    }, 120_000);
  }

  it('SIGTERM while going on past violations, then --resume: the same shortest counterexamples', async () => {
    const args = ['--preset', 'core-tuple', '--continue', '--max-depth', '6'];
    const ck = join(dir, 'continue');
    await stopAfterCheckpoint(args, ck, 'SIGTERM');
    const resumed = explore([...args, '--resume', ck]);
    const whole = explore([...args, '--workers', '1']);
    expect(resumed.states).toBe(whole.states);
    expect(resumed.edges).toBe(whole.edges);
    expect(resumed.violations).toEqual(whole.violations);
  }, 120_000);

  it('refuses a checkpoint of another search, naming the flag and what differs', async () => {
    const ck = join(dir, 'exact');
    // The first test's checkpoint, or a fresh one when this test runs alone.
    if (!existsSync(join(ck, 'current', 'meta.json'))) {
      await stopAfterCheckpoint(['--preset', 'core-safe-p0', '--store', 'exact'], ck, 'SIGTERM');
    }
    const r = spawnSync(process.execPath, [BIN, 'explore', '--preset', 'core-safe', '--resume', ck], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^foliocheck: --resume: .*expected a checkpoint of this search/);
    const none = spawnSync(process.execPath, [BIN, 'explore', '--resume', join(dir, 'nothing-here')], {
      encoding: 'utf8',
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^foliocheck: --resume: .*expected a checkpoint directory, got none there/);
  }, 120_000);
});
