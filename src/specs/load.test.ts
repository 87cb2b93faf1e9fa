/**
 * Spec files: a spec written outside the repository runs; the project's own specs are spec files that keep
 * their expectations; a malformed file names the file, the line, the field, what was expected and what was
 * given, and exits 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORY_SPECS } from '../../specs/history/history.js';
import { SPECS } from '../../specs/index.js';
import { cli } from '../../test/cli.js';
import { PRESETS } from '../model/presets.js';
import { runSpec } from '../runSpec.js';
import { parseSpecFile } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-specs-'));

/** The CVE-2020-29374 scenario as a user would write it, on two eras. */
const LEAK = `
name: my vmsplice leak
about: the child pins and unmaps, the parent writes (CVE-2020-29374)
bounds: {mms: 2, va: 1, pt: 1, large: 1, slots: 4, pins: 1, data: true, ops: [write, fork, pin, zap]}
policies: [5.7/page, 5.19/page]
script: write(0,0); fork(0); pin(1,0,ro); zap(1,0,1); write(0,0)
expect:
  5.7/page: {verdict: violation, invariant: dataIsolation, length: 5}
  otherwise: pass
`;

describe('spec files', () => {
  it('a spec file outside the repository runs on each of its policies, exit 0 when every expectation is met', async () => {
    const file = join(dir, 'leak.yaml');
    writeFileSync(file, LEAK);
    const r = await cli('specs', file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('my vmsplice leak [5.7/page]: VIOLATION of dataIsolation after 5 steps');
    expect(r.stdout).toContain('my vmsplice leak [5.19/page]: pass');
    expect(r.stdout).toContain('2 specs run: every expectation met');
  });

  it('an unmet expectation exits 1; a directory runs every spec file under it', async () => {
    const sub = mkdtempSync(join(dir, 'unmet-'));
    writeFileSync(
      join(sub, 'a.yaml'),
      LEAK.replace('otherwise: pass', 'otherwise: {verdict: violation, invariant: dataIsolation, length: 5}'),
    );
    const r = await cli('specs', sub);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('UNMET EXPECTATION verdict: expected invariant-violated, got success');
  });

  it('a coverage requirement the run does not meet fails the spec (exit 1), naming the branch', async () => {
    const sub = mkdtempSync(join(dir, 'coverage-'));
    // Fork shares the page in both eras; nothing in this script maps, let alone splits, a huge PMD.
    writeFileSync(join(sub, 'a.yaml'), `${LEAK}coverage: [copy_present_pte:share, __split_huge_pmd]\n`);
    const r = await cli('specs', sub);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "UNMET EXPECTATION coverage: expected __split_huge_pmd to fire, got 0 times (the spec's coverage requirement)",
    );
    expect(r.stdout).not.toContain('expected copy_present_pte:share to fire');
  });

  it('an exhaustive spec with an expected state count', async () => {
    const file = join(dir, 'p0.yaml');
    const figures = { states: 185_042, edges: 2_944_041, depth: 15 };
    const spec = parseSpecFile(
      `name: p0\nabout: bench-core without pins\nbounds: {mms: 2, va: 4, pt: 4, large: 4, slots: 16, pins: 0, ops: [fault, zap, fork, wp, pin, unpin]}\nexpect: {verdict: pass, states: ${figures.states}, source: docs/bench-core.md}\n`,
      file,
    );
    expect(spec).toHaveLength(1);
    expect(spec[0]?.expect).toEqual({ verdict: 'success', states: figures.states, source: 'docs/bench-core.md' });
    expect(spec[0]?.script).toBeUndefined();
  });

  it('symmetry: mms or none in a spec file stands for true or false, as --symmetry mms|none; another word is refused', () => {
    const spec = (symmetry: string): string =>
      `name: s\nabout: two mms\nbounds: {mms: 2, va: 1, pt: 1, large: 1, slots: 3, pins: 0, ops: [fault, fork], symmetry: ${symmetry}}\nexpect: {verdict: pass}\n`;
    expect(parseSpecFile(spec('mms'), 's.yaml')[0]?.bounds.symmetry).toBe(true);
    expect(parseSpecFile(spec('none'), 's.yaml')[0]?.bounds.symmetry).toBe(false);
    expect(parseSpecFile(spec('true'), 's.yaml')[0]?.bounds.symmetry).toBe(true);
    expect(() => parseSpecFile(spec('everything'), 's.yaml')).toThrow(
      /s\.yaml:3: bounds\.symmetry: expected true or false \(or mms, none\), got "everything"/,
    );
  });

  it("policies by name, era/ae@decider, or a bundle of the spec's own; figures expected of a pass", async () => {
    const text = `
name: deciding
about: the proposal's leak, and MM-ID's figures
bounds: {mms: 2, va: 2, pt: 2, large: 2, slots: 3, pins: 0, data: true, ops: [fault, fork, write, zap, exit]}
policies: [jan-2023, 6.15/page@tuple-scan, {name: mine, era: 6.15, ae: page, decider: mm-id}]
invariants: [dataIsolation]
expect:
  jan-2023: {verdict: violation, invariant: dataIsolation, length: 4}
  mine: {verdict: pass, figures: {decisions/falsely-shared-copies: 0, mm-id/falselyShared: 0}}
  otherwise: pass
`;
    const specs = parseSpecFile(text, join(dir, 'deciding.yaml'));
    expect(specs.map((s) => [s.name, s.bounds.era, s.bounds.ae, s.bounds.decider])).toEqual([
      ['deciding [jan-2023]', '6.15', 'folio', 'tuple-naive'],
      ['deciding [6.15/page@tuple-scan]', '6.15', 'page', 'tuple-scan'],
      ['deciding [mine]', '6.15', 'page', 'mm-id'],
    ]);
    for (const spec of specs) expect((await runSpec(spec)).verdict.mismatches, spec.name).toEqual([]);
    // A figure that differs is an unmet expectation naming it.
    const wrong = parseSpecFile(text.replace('falsely-shared-copies: 0', 'falsely-shared-copies: 5'), 'x.yaml');
    expect((await runSpec(wrong[2] as (typeof wrong)[number])).verdict.mismatches).toEqual([
      'figure decisions/falsely-shared-copies: expected 5, got 0',
    ]);
  });

  const malformed: readonly [string, string, RegExp][] = [
    [
      'a bound out of range',
      LEAK.replace('mms: 2', 'mms: 99'),
      /leak\.yaml:4: bounds\.mms: expected an integer 1\.\.8, got 99$/m,
    ],
    [
      'an unknown field',
      `${LEAK}colour: blue\n`,
      /:10: colour: expected no such field \(the fields are name, .*\), got "blue"$/m,
    ],
    [
      'an unknown invariant',
      LEAK.replace('invariant: dataIsolation', 'invariant: dataIsolatoin'),
      /:8: expect\.5\.7\/page\.invariant: expected one of .*dataIsolation.*, got "dataIsolatoin"$/m,
    ],
    [
      'a policy that is no era',
      LEAK.replace('5.19/page]', '5.10/page]'),
      /:5: policies\.1: expected era\/ae: .*, got "5\.10\/page"$/m,
    ],
    ['no name', LEAK.replace('name: my vmsplice leak', ''), /: name: expected a non-empty string, got nothing$/m],
    [
      'a cross-field rule',
      LEAK.replace('large: 1', 'large: 3'),
      /:4: bounds\.large: expected a power of two.*, got 3$/m,
    ],
    [
      'a script that does not parse',
      LEAK.replace('fork(0);', 'fork 0;'),
      /:6: script: expected step 2 "fork 0": name\(arg, \.\.\.\), e\.g\. fault\(0,1\), got "write/m,
    ],
    [
      'an unknown coverage branch',
      `${LEAK}coverage: [do_wp_page:copy, do_wp_page:cpoy]\n`,
      /:10: coverage\.1: expected one of do_wp_page:reuse, .*, got "do_wp_page:cpoy"$/m,
    ],
    ['not YAML', 'name: [unclosed\n', /leak\.yaml:\d+: YAML: expected valid YAML, got /],
    [
      'a decider that is no scheme',
      LEAK.replace('5.19/page]', '6.15/page@tuple-nave]'),
      /:5: policies\.1: expected era\/ae@scheme: a scheme of .*, got "6\.15\/page@tuple-nave"$/m,
    ],
    [
      'an unknown figure',
      LEAK.replace('otherwise: pass', 'otherwise: {verdict: pass, figures: {decisions/copies: 1}}'),
      /expect\.otherwise\.figures\.decisions\/copies: expected decisions\/ and one of .*needless-copies.*, got "decisions\/copies"$/m,
    ],
  ];
  for (const [what, text, message] of malformed) {
    it(`a malformed spec file (${what}): exit 2, FILE:LINE: FIELD: expected ..., got ...`, async () => {
      const sub = mkdtempSync(join(dir, 'bad-'));
      const file = join(sub, 'leak.yaml');
      writeFileSync(file, text);
      const r = await cli('specs', file);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(`foliocheck: ${file}`)).toBe(true);
      expect(r.stderr.trim()).toMatch(message);
    });
  }

  it("bench-core's spec files have the presets' bounds, and the history file expands to a spec per policy", () => {
    for (const name of ['core-tuple', 'core-safe-p0', 'core-safe-s5', 'core-safe'] as const) {
      const spec = SPECS.find((s) => s.name === name);
      expect(spec?.bounds).toEqual(PRESETS[name]);
    }
    const history = HISTORY_SPECS;
    expect(history).toHaveLength(12 * 7);
    // history.yaml's scripts, reclaim.yaml's search per policy, and kernel-geometry.yaml's two scenarios
    // under the two 6.15 policies are all the history specs.
    expect(SPECS.filter((s) => s.name.startsWith('history: '))).toHaveLength(13 * 7 + 2 * 2);
    // The policies each scenario breaks in, counted from the history table (B2 .. B5, per-folio AE, two schemes).
    const breaks = 1 + 2 + 2 + 1 + 1 + 2 + 2 + 2 + 7 + 0 + 7 + 0;
    expect(history.filter((s) => s.expect.verdict === 'invariant-violated')).toHaveLength(breaks);
    const b2 = history.filter((s) => s.name.startsWith('history: B2 vmsplice() + unmap in child ['));
    expect(b2.map((s) => `${s.bounds.era}/${s.bounds.ae}`)).toEqual([
      '5.7/page',
      '5.8/page',
      '5.9/page',
      '5.19/page',
      '5.19/folio',
      '6.15/page',
      '6.15/folio',
    ]);
  });

  it("docs/spec-files.md's complete example parses, and its scripted specs meet their expectations", async () => {
    const doc = readFileSync(new URL('../../docs/spec-files.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const specs = parseSpecFile(yaml, 'docs/spec-files.md');
    expect(specs.map((s) => s.name)).toEqual([
      'vmsplice in the child [5.7/page]',
      'vmsplice in the child [5.8/page]',
      'vmsplice in the child [5.19/page]',
      'bench-core without pins',
    ]);
    expect(specs[3]?.bounds).toEqual(PRESETS['core-safe-p0']);
    for (const spec of specs.filter((s) => s.script !== undefined)) {
      expect((await runSpec(spec)).verdict.mismatches).toEqual([]);
    }
  });
});

describe('docs/walkthrough.md', () => {
  it('its spec file, saved outside the repository, meets its expectations on both eras (exit 0), TAP included', async () => {
    const doc = readFileSync(new URL('../../docs/walkthrough.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'foliocheck-walk-')), 'swapin-leak.yaml');
    writeFileSync(file, yaml as string);
    const r = await cli('specs', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[5.9/page]: VIOLATION of dataIsolation after 6 steps');
    expect(r.stdout).toContain('2 specs run: every expectation met');
    const tap = await cli('specs', file, '--reporter', 'tap');
    expect(tap.stdout.split('\n').slice(0, 4)).toEqual([
      'TAP version 13',
      '1..2',
      "ok 1 vmsplice before reclaim, then the owner's write [5.9/page]",
      "ok 2 vmsplice before reclaim, then the owner's write [5.19/page]",
    ]);
  });
});
