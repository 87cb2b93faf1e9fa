/**
 * `specs --kernel` selects the script specs whose expectation is for the running kernel's era: cow.c's (what
 * the selftest asserts of every kernel since 5.19) and that era's history specs with AnonExclusive per page.
 */
import { describe, expect, test } from 'vitest';
import { COW_SPECS } from '../../specs/cow/cow.js';
import { HISTORY_2MIB_SPECS, HISTORY_SPECS } from '../../specs/history/history.js';
import { SPECS } from '../../specs/index.js';
import { specsForEra } from './specs.js';

describe('specs --kernel: which specs', () => {
  test('era 6.15: every cow.c spec and the 6.15 history specs with AE per page, nothing else', () => {
    const names = specsForEra(SPECS, '6.15').map((s) => s.name);
    const history = [...HISTORY_SPECS, ...HISTORY_2MIB_SPECS].filter(
      (s) => s.bounds.era === '6.15' && s.bounds.ae === 'page',
    );
    expect(history.length).toBeGreaterThan(0);
    expect(names.sort()).toEqual([...COW_SPECS, ...history].map((s) => s.name).sort());
  });

  test('era 5.9: cow.c specs and the 5.9 history specs; no bench-core spec (no script)', () => {
    const selected = specsForEra(SPECS, '5.9');
    expect(selected.every((s) => s.script !== undefined)).toBe(true);
    expect(selected.filter((s) => s.name.startsWith('history:')).every((s) => s.bounds.era === '5.9')).toBe(true);
  });
});
