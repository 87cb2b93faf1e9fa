/**
 * The exit status is one pure function of the verdict: findings, bounds and expectations as data.
 */
import { describe, expect, it } from 'vitest';
import { exitStatus, type Stats, type Verdict, verdictOf, withMismatches } from './verdict.js';

const stats: Stats = { states: 1, edges: 0, depth: 0, seconds: 0, statesPerSecond: 0, peakRssBytes: 0, store: 'exact' };
const first = { invariant: 'i', trace: [{ index: 0, action: 'a' }] };
const pass: Verdict<string> = verdictOf({ stats, violations: [], failures: [] });
const violated = verdictOf({ stats, violations: [first], failures: [], first });
const warned = verdictOf({
  stats,
  violations: [],
  failures: [{ kind: 'kernel-warning', message: 'w', trace: [] }],
  first: { kind: 'kernel-warning', message: 'w', trace: [] },
});
const bounded = verdictOf<string>({
  stats,
  violations: [],
  failures: [],
  incomplete: { reason: 'depth', detail: 'd' },
});

describe('verdictOf and exitStatus', () => {
  it('the headline is the first finding, else the bound, else success', () => {
    expect([pass.kind, violated.kind, warned.kind, bounded.kind]).toEqual([
      'success',
      'invariant-violated',
      'kernel-warning',
      'incomplete',
    ]);
    const both = verdictOf({ ...violated, incomplete: { reason: 'time', detail: 't' }, first });
    expect(both.kind).toBe('invariant-violated');
    expect(both.incomplete?.reason).toBe('time');
  });

  it('0 pass, 1 violation or failing step, 3 a bound before any finding', () => {
    expect([pass, violated, warned, bounded].map((v) => exitStatus(v))).toEqual([0, 1, 1, 3]);
  });

  it('with expectations: 0 when every one is met (a violation expected), 1 when one is not, 3 when bounded', () => {
    expect(exitStatus(withMismatches(violated, []))).toBe(0);
    expect(exitStatus(withMismatches(pass, ['states: expected 2, got 1']))).toBe(1);
    expect(exitStatus(withMismatches(bounded, ['verdict: expected success, got incomplete']))).toBe(3);
  });

  it('several results: the worst', () => {
    expect(exitStatus([])).toBe(0);
    expect(exitStatus([pass, violated])).toBe(1);
    expect(exitStatus([bounded, violated, pass])).toBe(3);
  });
});
