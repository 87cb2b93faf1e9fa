/**
 * Every regression spec that is not heavy meets its expectation (figures from an independent source:
 * docs/bench-core.md), as the TLA+ Examples manifest is checked.
 */
import { describe, expect, it } from 'vitest';
import { SPECS } from '../specs/index.js';
import { runSpec } from '../src/runSpec.js';

const light = SPECS.filter((s) => s.heavy !== true);

describe('specs', () => {
  it('have distinct names; the light ones include bench-core core-tuple and core-safe-p0', () => {
    const names = SPECS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(light.map((s) => s.name)).toEqual(expect.arrayContaining(['core-tuple', 'core-safe-p0']));
  });

  for (const spec of light) {
    it(`${spec.name} meets its expectation`, async () => {
      const r = await runSpec(spec);
      expect(r.verdict.mismatches).toEqual([]);
      expect(r.verdict.kind).toBe(spec.expect.verdict);
    });
  }
});
