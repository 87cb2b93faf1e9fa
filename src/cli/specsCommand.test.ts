/**
 * `specs` in CI: a progress line on stderr every 10 s when it is not a terminal, none on a terminal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../test/cli.js';
import { PROGRESS_EVERY_MS, progressTicker } from './specsCommand.js';

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
