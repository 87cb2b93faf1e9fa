/**
 * `specs` in CI: a progress line on stderr every 10 s when it is not a terminal, none on a terminal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../test/cli.js';
import { selectSpecs } from '../app/specs.js';
import { PROGRESS_EVERY_MS, progressTicker, symmetric } from './specsCommand.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('progressTicker', () => {
  it('writes a line every 10 s when the stream is not a terminal, until stopped', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let n = 0;
    const stop = progressTicker({ isTTY: false, write: (s: string) => lines.push(s) }, PROGRESS_EVERY_MS, () => {
      n += 1;
      return `line ${n}`;
    });
    expect(PROGRESS_EVERY_MS).toBe(10_000);
    vi.advanceTimersByTime(9_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(25_000);
    expect(lines).toEqual(['line 1\n', 'line 2\n', 'line 3\n']);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
  });

  it('writes nothing on a terminal (the progress line is there)', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const stop = progressTicker({ isTTY: true, write: (s: string) => lines.push(s) }, PROGRESS_EVERY_MS, () => 'x');
    vi.advanceTimersByTime(60_000);
    stop();
    expect(lines).toEqual([]);
  });
});

describe('internal errors', () => {
  it('an exception foliocheck does not expect is exit 5 with its message, never 1', async () => {
    // simulate without --seed takes the clock for its seed: make that throw.
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('clock gone');
    });
    try {
      const r = await cli('simulate', '--preset', 'core-tuple', '--runs', '1');
      expect(r.status).toBe(5);
      expect(r.stderr).toContain('foliocheck: internal error: Error: clock gone');
    } finally {
      now.mockRestore();
    }
  });
});

describe('specs --symmetry', () => {
  it('sets symmetry on the searching specs of 2-4 mms, keeps their verdicts and drops their counts', () => {
    const all = selectSpecs([], true).specs;
    const out = symmetric(all, true);
    expect(symmetric(all, undefined)).toEqual([...all]);
    expect(out).toHaveLength(all.length);
    let changed = 0;
    for (const [i, s] of out.entries()) {
      const before = all[i];
      if (before === undefined) throw new Error('lost a spec');
      const eligible = before.script === undefined && before.bounds.mms >= 2 && before.bounds.mms <= 4;
      if (!eligible) {
        expect(s).toBe(before);
        continue;
      }
      changed += 1;
      expect(s.name).toBe(`${before.name} @symmetry`);
      expect(s.bounds).toEqual({ ...before.bounds, symmetry: true });
      expect(s.expect.verdict).toBe(before.expect.verdict);
      if (s.expect.verdict === 'success') {
        expect(Object.keys(s.expect).filter((k) => k !== 'verdict' && k !== 'depth')).toEqual([]);
      } else expect(s.expect).toEqual(before.expect);
    }
    // bench-core's four variants have two mms at least.
    expect(changed).toBeGreaterThanOrEqual(4);
  });
});
