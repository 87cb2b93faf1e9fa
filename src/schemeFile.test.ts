/**
 * Schemes from a path (`--scheme ./my-scheme.mjs`): the worked example of docs/schemes.md, copied outside the
 * repository, is loaded by path and searched with on one thread and on two; files that are no scheme are
 * refused with one line naming the file and what was expected (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/cli.js';
import type * as Configure from './model/configure.js';
import type * as SchemeFile from './schemeFile.js';
import type * as Spec from './spec.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'foliocheck-scheme-'));
const example = join(dir, 'mapping-mms.mjs');
copyFileSync(new URL('../examples/schemes/mapping-mms.mjs', import.meta.url), example);

const BOUNDS = ['--ops', 'fault,fork,zap,wp,thp,split_pmd,exit', '--pt', '2', '--va', '2', '--large', '2'];
const SMALL = [...BOUNDS, '--pins', '0', '--slots', '4'];

describe('schemes from a path', () => {
  it('the example scheme file, outside the repository, is loaded by path and holds in a search', async () => {
    const r = await cli('explore', '--scheme', example, ...SMALL);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('explore: pass: holds in the complete state space');
    // The bounds line names the file, so that it works pasted into a fresh process.
    expect(r.stdout.replace(/ \\\n\s+/g, ' ')).toContain(`--scheme ${example}`);
  });

  it('its counter is in the state: a violation of its invariant when it is desynced on purpose', async () => {
    const broken = join(dir, 'broken.mjs');
    writeFileSync(
      broken,
      `import base from './mapping-mms.mjs';\nexport default { ...base, name: 'never-removes', invariant: 'neverRemovesMatches', remove() {} };\n`,
    );
    const r = await cli('explore', '--scheme', broken, ...SMALL);
    expect(r.status).toBe(1);
    // Shortest: fault, then MADV_DONTNEED of the range: the folio is freed with its count still 1, and
    // free_folio()'s bad_page() check taints the scheme (a desync seen at the free, not one step later).
    expect(r.stdout).toMatch(/^explore: VIOLATION of neverRemovesMatches after 2 steps/);
    expect(r.stdout).toContain('bad_page');
    expect(r.stdout).toContain('_mapping_mms');
  });

  it('a trace file written with it replays in a fresh process; a scheme file gone from its path is bad input', async () => {
    const broken = join(dir, 'broken-trace.mjs');
    writeFileSync(
      broken,
      `import base from './mapping-mms.mjs';\nexport default { ...base, name: 'never-removes-2', invariant: 'neverRemoves2Matches', remove() {} };\n`,
    );
    const trace = join(dir, 'trace.json');
    const found = await cli('explore', '--scheme', broken, ...SMALL, '--out', trace);
    expect(found.status).toBe(1);
    // A fresh process (the built CLI): nothing is loaded but what the trace names.
    const again = spawnSync(process.execPath, [BIN, 'replay', trace], { encoding: 'utf8', cwd: tmpdir() });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0); // the recorded verdict recurs
    expect(again.stdout).toContain('VIOLATION of neverRemoves2Matches after 2 steps');
    // Moved away: the trace names the field and the path it could not load.
    const gone = join(dir, 'trace-gone.json');
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { '#meta': { 'scheme-files': Record<string, string> } };
    doc['#meta']['scheme-files']['never-removes-2'] = join(dir, 'no-such-scheme.mjs');
    writeFileSync(gone, JSON.stringify(doc));
    const bad = spawnSync(process.execPath, [BIN, 'replay', gone], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^foliocheck: .*trace-gone\.json: #meta\.scheme-files\.never-removes-2: /);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('parallel workers load it too: the same states and edges on two threads as on one', async () => {
    const dist = (path: string): string => new URL(`../dist/src/${path}`, import.meta.url).href;
    const { loadSchemeFile } = (await import(dist('schemeFile.js'))) as typeof SchemeFile;
    const { exploreKernel, KernelSystem } = (await import(dist('spec.js'))) as typeof Spec;
    const { makeConfig } = (await import(dist('model/configure.js'))) as typeof Configure;
    const name = await loadSchemeFile(example);
    expect(name).toBe('mapping-mms');
    const ops = ['fault', 'fork', 'zap', 'wp', 'thp', 'split_pmd', 'exit'];
    const bounds = { mms: 2, va: 2, pt: 2, large: 2, slots: 4, pins: 0, ops, schemes: [name] };
    const one = await exploreKernel(new KernelSystem(makeConfig(bounds), 'one'));
    const two = await exploreKernel(new KernelSystem(makeConfig(bounds), 'two'), { workers: 2 });
    expect(one.kind).toBe('success');
    expect(two.kind).toBe('success');
    expect([two.stats.states, two.stats.edges]).toEqual([one.stats.states, one.stats.edges]);
    expect(one.stats.states).toBeGreaterThan(100);
  });

  it('a spec file names it in bounds.schemes, relative to the spec file, and may require coverage', async () => {
    const spec = join(dir, 'mapping.yaml');
    writeFileSync(
      spec,
      [
        'name: mapping-mms holds',
        'about: the example scheme against fork, MADV_DONTNEED, THP and PMD splits',
        'bounds: { mms: 2, va: 2, pt: 2, large: 2, slots: 4, pins: 0, ops: [fault, fork, zap, wp, thp, split_pmd, exit], schemes: [./mapping-mms.mjs] }',
        'coverage: [__split_huge_pmd, copy_huge_pmd:share]',
        'expect: pass',
        '',
      ].join('\n'),
    );
    const r = await cli('specs', spec);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('mapping-mms holds: pass: holds in the complete state space');
  });

  const bad: readonly [string, string, RegExp][] = [
    [
      'no export',
      'export const x = 1;\n',
      /expected a MapcountScheme as the default export or an export named scheme, got neither$/,
    ],
    [
      'a word without a range',
      "import base from './mapping-mms.mjs';\nexport default { ...base, name: 'w', words: [{ name: '_n', min: 0, max: 4 }] };\n",
      /: words\[0\] \(_n\): expected min and max as functions of the bounds, got 0 and 4$/,
    ],
    [
      "a project scheme's name",
      "import base from './mapping-mms.mjs';\nexport default { ...base, name: 'mm-id' };\n",
      /: name: expected a name no other scheme has, got "mm-id"$/,
    ],
    [
      'a hook missing',
      "import base from './mapping-mms.mjs';\nexport default { ...base, name: 'h', holds: undefined };\n",
      /: holds: expected a function, got nothing$/,
    ],
    [
      'not JavaScript',
      'export default {\n',
      /: expected a JavaScript module exporting a MapcountScheme, got an error: /,
    ],
  ];
  for (const [what, text, message] of bad) {
    it(`a scheme file with ${what}: exit 2, one line naming the file`, async () => {
      const file = join(dir, `${what.replace(/\W+/g, '-')}.mjs`);
      writeFileSync(file, text);
      const r = await cli('explore', '--scheme', file, ...SMALL);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(`foliocheck: --scheme: ${file}: `)).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    });
  }

  it('a path that is no file: exit 2', async () => {
    const r = await cli('run', '--scheme', join(dir, 'nowhere.mjs'), '--steps', 'fault(0,0)');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /--scheme: .*nowhere\.mjs: expected a scheme file \(\.js or \.mjs\), got no such file$/,
    );
  });
});
