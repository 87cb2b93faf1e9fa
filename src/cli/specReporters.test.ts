/**
 * CI output of `specs`: TAP 13 that a TAP parser accepts (tap-parser, as CI harnesses use), JUnit XML, and
 * `--quiet`; model errors have their own exit status (4), never 1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FinalResults, Parser } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { SPECS } from '../../specs/index.js';
import { cli } from '../../test/cli.js';
import { runSpec } from '../runSpec.js';
import { tapReporter } from './specReporters.js';

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-tap-'));

function parseTap(text: string): FinalResults {
  let final: FinalResults | undefined;
  const p = new Parser((r) => {
    final = r;
  });
  p.end(text);
  if (final === undefined) throw new Error('the TAP parser did not complete');
  return final;
}

/** One spec met, one unmet (its expectation is wrong on purpose), in one file. */
const MIXED = `
name: "met: tuple-naive desyncs"
about: a partial MADV_DONTNEED of a large folio
bounds: {mms: 1, va: 4, pt: 4, large: 4, slots: 2, pins: 0, ops: [fault, zap], schemes: [tuple-naive]}
script: fault(0,0); zap(0,1,1)
expect: {verdict: violation, invariant: tupleCountMatchesPageTables, length: 2}
---
name: "unmet # on purpose"
about: the same scenario, expected to pass
bounds: {mms: 1, va: 4, pt: 4, large: 4, slots: 2, pins: 0, ops: [fault, zap], schemes: [tuple-naive]}
script: fault(0,0); zap(0,1,1)
expect: pass
`;

describe('specs --reporter', () => {
  const file = join(dir, 'mixed.yaml');
  writeFileSync(file, MIXED);

  it('tap: TAP version 13, a plan, ok / not ok with a YAML block; a TAP parser agrees; exit 1', async () => {
    const r = await cli('specs', file, '--reporter', 'tap');
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['TAP version 13', '1..2']);
    const tap = parseTap(r.stdout);
    expect(tap.plan.end).toBe(2);
    expect(tap.count).toBe(2);
    expect(tap.pass).toBe(1);
    expect(tap.fail).toBe(1);
    expect(tap.ok).toBe(false);
    // '#' in a name is escaped, so it is no directive: the name survives whole.
    expect(tap.failures[0]?.name).toBe('unmet # on purpose');
    expect(tap.failures[0]?.diag).toMatchObject({ verdict: 'violation', kind: 'invariant-violated' });
  });

  it('tap: heavy specs left out are "# SKIP" test points', async () => {
    const light = SPECS.filter((s) => s.name === 'core-tuple');
    const results = await Promise.all(light.map((s) => runSpec(s)));
    let text = '';
    const rep = tapReporter((s) => {
      text += s;
    });
    const heavy = SPECS.filter((s) => s.heavy === true).map((spec) => ({ spec, why: 'heavy: --all runs it' }));
    rep.start(light, heavy);
    for (const r of results) rep.result(r);
    rep.end(results);
    const tap = parseTap(text);
    expect(tap.ok).toBe(true);
    expect(tap.count).toBe(light.length + heavy.length);
    expect(tap.skip).toBe(heavy.length);
    expect(tap.pass).toBe(light.length + heavy.length);
  });

  it('tap: an interrupted run bails out, as TAP says a plan will not be completed', async () => {
    const spec = SPECS.find((s) => s.name === 'core-tuple');
    if (spec === undefined) throw new Error('no core-tuple spec');
    let text = '';
    const rep = tapReporter((s) => {
      text += s;
    });
    rep.start([spec, spec], []);
    rep.result(await runSpec(spec));
    rep.interrupted(1, 2);
    const tap = parseTap(text);
    expect(tap.bailout).toBe('incomplete: interrupted after 1 of 2 specs');
    expect(tap.ok).toBe(false);
  });

  it('junit: one testcase per spec, the unmet one a failure', async () => {
    const r = await cli('specs', file, '--reporter', 'junit');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(r.stdout.match(/<testcase /g)).toHaveLength(2);
    expect(r.stdout.match(/<failure /g)).toHaveLength(1);
    expect(r.stdout).toContain('tests="2" failures="1" errors="0" skipped="0"');
  });

  it('text --quiet: only the unmet spec and the summary', async () => {
    const r = await cli('specs', file, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unmet # on purpose');
    expect(r.stdout).not.toContain('met: tuple-naive');
    expect(r.stdout).toContain('2 specs run: NOT every expectation met');
  });

  it('an unknown reporter is bad input (exit 2)', async () => {
    const r = await cli('specs', file, '--reporter', 'xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--reporter: expected one of text, tap, junit, got "xml"');
  });

  it('a model error (a step that is not enabled) is exit 5, never 1, naming the step', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      'name: broken\nabout: faults twice\nbounds: {mms: 1, va: 4, pt: 4, large: 1, slots: 4, pins: 0, ops: [fault]}\n' +
        'script: fault(0,0); fault(0,0)\nexpect: pass\n',
    );
    const r = await cli('specs', broken, '--reporter', 'tap');
    expect(r.status).toBe(5);
    const tap = parseTap(r.stdout);
    expect(tap.fail).toBe(1);
    expect(JSON.stringify(tap.failures[0]?.diag)).toContain('step 2 fault(0,0) is not enabled');
  });
});
