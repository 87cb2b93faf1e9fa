/**
 * The spill directory (`--spill-dir`) is gone when the search ends: after a complete run, after an
 * interrupted one (SIGTERM, which reports what was explored), and after a second SIGTERM, which exits at
 * once. Real processes of the built CLI; the directory is watched while they run to see that they spill.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'foliocheck-spill-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Files under `dir`, one level of subdirectories down (the search's own directory and its files). */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? readdirSync(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
  );
}

/** Starts a long fingerprint search spilling into `dir`; sends `signals` once it has spilled both kinds. */
async function interrupt(
  dir: string,
  signals: readonly NodeJS.Signals[],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'explore', '--preset', 'core-safe', '--store', 'fingerprint', '--spill-dir', dir, '--json'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let seen: string[] = [];
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    seen = files(dir);
    if (seen.some((f) => f.endsWith('preds.bin')) && seen.some((f) => /queue-\d+\.bin$/.test(f))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(child.exitCode, 'the search ended before it spilled').toBeNull();
  expect(seen.some((f) => f.endsWith('preds.bin'))).toBe(true);
  for (const s of signals) {
    child.kill(s);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { code: await exited, out };
}

describe('the spill directory', () => {
  it('is removed after a complete search that spilled', () => {
    const dir = join(root, 'complete');
    const r = spawnSync(
      process.execPath,
      [BIN, 'explore', '--preset', 'core-safe-p0', '--store', 'fingerprint', '--spill-dir', dir, '--json'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    // bench-core's published figure for core-safe-p0 (docs/bench-core.md).
    expect((JSON.parse(r.stdout) as { states: number }).states).toBe(185042);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('is removed after SIGTERM, which reports what was explored', async () => {
    const dir = join(root, 'term');
    const r = await interrupt(dir, ['SIGTERM']);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.out) as { verdict: string }).verdict).toBe('incomplete');
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('is removed after a second SIGTERM, which exits at once', async () => {
    const dir = join(root, 'term2');
    const r = await interrupt(dir, ['SIGTERM', 'SIGTERM']);
    expect([3, 143]).toContain(r.code);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});
