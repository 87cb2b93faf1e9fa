/**
 * `foliocheck view FILE [--html OUT]` and `--html OUT` on run, explore and simulate, in-process: the page is
 * written where asked, for the trace the command prints; bad input exits 2 naming the file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import { defaultHtmlPath } from '../app/view.js';

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-view-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEPS = 'fault(0,0); fork(0); pin(1,0); wp(0,0)';

/** The step labels of a page's step list. */
const stepList = (html: string): string[] =>
  [...html.matchAll(/<li data-step="\d+"[^>]*>([^<]*)</g)].map((m) => m[1] as string);

describe('--html OUT', () => {
  it('run: writes the page of the script, the same page view writes from the --json output', async () => {
    const page = join(dir, 'run-page.html');
    const r = await cli('run', '--steps', STEPS, '--html', page);
    expect(r.status).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(stepList(html)).toEqual(['0. initial', '1. fault(0,0)', '2. fork(0)', '3. pin(1,0)', '4. wp(0,0)']);
    const json = join(dir, 'run.json');
    writeFileSync(json, (await cli('run', '--steps', STEPS, '--json')).stdout);
    const v = await cli('view', json);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${join(dir, 'run.html')}: 4 steps\n`);
    expect(readFileSync(join(dir, 'run.html'), 'utf8')).toBe(html);
  });

  it('explore: the shortest counterexample, with the invariant it breaks', async () => {
    const page = join(dir, 'explore.html');
    const r = await cli('explore', '--preset', 'core-tuple', '--html', page);
    expect(r.status).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(stepList(html)).toEqual(['0. initial', '1. fault(0,0)', '2. zap(0,0,1)']);
    expect(html).toContain('violation: tupleCountMatchesPageTables');
  });

  it('simulate: the shrunk walk', async () => {
    const page = join(dir, 'simulate.html');
    const r = await cli(
      'simulate',
      '--preset',
      'core-tuple',
      '--seed',
      '1',
      '--runs',
      '200',
      '--steps',
      '20',
      '--html',
      page,
    );
    expect(r.status).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(stepList(html).length).toBeGreaterThan(1);
    expect(html).toContain('tupleCountMatchesPageTables');
  });

  it('a verdict without a trace writes no page and says so', async () => {
    const page = join(dir, 'none.html');
    const r = await cli(
      'explore',
      '--mms',
      '1',
      '--va',
      '2',
      '--pt',
      '2',
      '--large',
      '2',
      '--slots',
      '2',
      '--pins',
      '0',
      '--ops',
      'fault,zap,wp',
      '--html',
      page,
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('--html: no trace to show');
    expect(existsSync(page)).toBe(false);
  });
});

describe('view FILE', () => {
  it('--html OUT writes there; the default is FILE with .html', async () => {
    const json = join(dir, 'bare.itf.json');
    writeFileSync(json, JSON.stringify(JSON.parse((await cli('run', '--steps', STEPS, '--json')).stdout).itf));
    const out = join(dir, 'elsewhere.html');
    expect((await cli('view', json, '--html', out)).status).toBe(0);
    expect(stepList(readFileSync(out, 'utf8'))).toHaveLength(5);
    expect(defaultHtmlPath('a/b.itf.json')).toBe('a/b.itf.html');
    expect(defaultHtmlPath('trace')).toBe('trace.html');
    expect(defaultHtmlPath('.dir/trace')).toBe('.dir/trace.html');
  });

  it('bad input exits 2 with foliocheck: FILE: why', async () => {
    const write = (name: string, text: string): string => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const itf = JSON.parse((await cli('run', '--steps', STEPS, '--json')).stdout).itf;
    const cases: [string, RegExp][] = [
      [join(dir, 'absent.json'), /cannot read/],
      [write('garbage.json', 'not json'), /not JSON/],
      [write('empty.json', '{}'), /expected an ITF trace/],
      [write('bounds.json', JSON.stringify({ ...itf, '#meta': { bounds: { ...itf['#meta'].bounds, va: 0 } } })), /va/],
    ];
    for (const [file, why] of cases) {
      const r = await cli('view', file);
      expect(r.status, file).toBe(2);
      expect(r.stderr.startsWith(`foliocheck: ${file}: `), r.stderr).toBe(true);
      expect(r.stderr).toMatch(why);
    }
  });
});
