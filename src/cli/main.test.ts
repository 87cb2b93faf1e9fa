/**
 * The command line in-process: exit status as a function of the verdict,
 * usage errors that name the option, JSON in ITF shape, text that fits a mail (100 columns).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';

function expectMailWidth(s: string): void {
  const long = s.split('\n').filter((line) => line.length > 100);
  expect(long).toEqual([]);
}

describe('usage errors exit 2 and name the option', () => {
  const cases: readonly [readonly string[], string][] = [
    [['--large', '3'], '--large'],
    [['--va', '6', '--pt', '4'], '--va'],
    [['--ops', 'fault,bogus'], '--ops'],
    [['--bogus'], '--bogus'],
    [['--store', 'foo'], '--store'],
    [['--preset', 'core-nothing'], '--preset'],
    [['--max-states', 'many'], '--max-states'],
  ];
  for (const [args, option] of cases) {
    it(`explore ${args.join(' ')}`, async () => {
      const r = await cli('explore', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(option);
      expect(r.stdout).toBe('');
    });
  }

  it('--ops says what it got', async () => {
    expect((await cli('explore', '--ops', 'fault,bogus')).stderr).toContain('bogus');
  });

  it('--continue with more than one worker is refused (it runs on one thread), with one it runs', async () => {
    const two = await cli('explore', '--preset', 'core-tuple', '--continue', '--workers', '2');
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('--workers: expected 1 with --continue');
    expect(two.stderr).toContain('got 2');
    const one = await cli('explore', '--preset', 'core-safe-p0', '--continue', '--workers', '1', '--max-depth', '2');
    expect(one.status).not.toBe(2);
  });
});

describe('explore', () => {
  it('--preset core-tuple --json: exit 1, the shortest violation with its trace in ITF shape', async () => {
    const r = await cli('explore', '--preset', 'core-tuple', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as {
      verdict: string;
      invariant: string;
      trace: { action: string; params: Record<string, number> }[];
      itf: { states: { 'mbt::actionTaken': string }[] };
    };
    expect(j.verdict).toBe('violation');
    expect(j.invariant).toBe('tupleCountMatchesPageTables');
    expect(j.trace).toHaveLength(2);
    // docs/bench-core.md "Order of exploration" fixes which shortest counterexample comes first.
    expect(j.trace.map(({ action, params }) => ({ action, params }))).toEqual([
      { action: 'fault', params: { mm: 0, addr: 0 } },
      { action: 'zap', params: { mm: 0, addr: 0, nr: 1 } },
    ]);
    expect(j.itf.states).toHaveLength(3);
    expect(j.itf.states.map((s) => s['mbt::actionTaken'])).toEqual(['init', 'fault', 'zap']);
  });

  it('--preset core-tuple as text: exit 1, every line at most 100 columns', async () => {
    const r = await cli('explore', '--preset', 'core-tuple');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('tupleCountMatchesPageTables');
    expectMailWidth(r.stdout);
  });

  it('--preset core-safe-p0 --max-states 1000: exit 3, incomplete', async () => {
    const r = await cli('explore', '--preset', 'core-safe-p0', '--max-states', '1000', '--json');
    expect(r.status).toBe(3);
    const j = JSON.parse(r.stdout) as { verdict: string; reason: string; states: number };
    expect(j.verdict).toBe('incomplete');
    expect(j.reason).toBe('states');
    expect(j.states).toBe(1000);
    const t = await cli('explore', '--preset', 'core-safe-p0', '--max-states', '1000');
    expect(t.status).toBe(3);
    expect(t.stdout).toContain('incomplete');
    expectMailWidth(t.stdout);
  });

  it('exits 0 when no invariant can fail within the bounds', async () => {
    // One mm: fork is left out (no mm for a child: refused as bad input).
    const ops = ['--ops', 'fault,zap,wp,pin,unpin'];
    const r = await cli('explore', '--mms', '1', '--va', '2', '--pt', '2', '--large', '2', '--slots', '2', ...ops);
    expect(r.status).toBe(0);
    expectMailWidth(r.stdout);
  });
});

describe('explore --from and run', () => {
  it('explore --from starts after the given steps; the JSON names them as the prefix', async () => {
    const r = await cli('explore', '--preset', 'core-tuple', '--from', 'fault(0,0)', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; prefix: string[]; trace: { action: string }[] };
    expect(j.verdict).toBe('violation');
    expect(j.prefix).toEqual(['fault(0,0)']);
    expect(j.trace.map((t) => t.action)).toEqual(['zap']);
  });

  it('explore --from with a step that is not enabled is a usage error naming --from', async () => {
    const r = await cli('explore', '--from', 'wp(0,0)');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--from');
  });

  it('run: exit 1 at the step that breaks an invariant, 0 when every step keeps them', async () => {
    const bad = await cli('run', '--preset', 'core-tuple', '--steps', 'fault(0,0); zap(0,0,1)');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('tupleCountMatchesPageTables');
    expectMailWidth(bad.stdout);
    const good = await cli('run', '--steps', 'fault(0,0); fork(0); wp(1,2)');
    expect(good.status).toBe(0);
    expectMailWidth(good.stdout);
  });

  it('run: a malformed, out-of-bounds or disabled step is a usage error naming --steps', async () => {
    for (const steps of ['fault(0,0', 'fault(9,0)', 'fault(0,0); fault(0,1)']) {
      const r = await cli('run', '--steps', steps);
      expect(r.status, steps).toBe(2);
      expect(r.stderr).toContain('--steps');
    }
  });
});

describe('simulate', () => {
  it('--preset core-tuple --seed 1 --runs 200 --steps 20: exit 1, text within 100 columns, seed printed', async () => {
    const r = await cli('simulate', '--preset', 'core-tuple', '--seed', '1', '--runs', '200', '--steps', '20');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('tupleCountMatchesPageTables');
    expect(r.stdout).toContain('seed 1');
    expectMailWidth(r.stdout);
  });

  it('--json gives the shrunk trace as actions with parameters', async () => {
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
      '--json',
    );
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; seed: number; trace: { action: string; params: object }[] };
    expect(j.verdict).toBe('violation');
    expect(j.seed).toBe(1);
    expect(j.trace.length).toBeGreaterThanOrEqual(2);
    for (const step of j.trace) expect(Object.keys(step)).toEqual(expect.arrayContaining(['action', 'params']));
  });
});

describe('specs and help', () => {
  it('specs core-tuple: its expectation is met, exit 0', async () => {
    const r = await cli('specs', 'core-tuple');
    expect(r.status).toBe(0);
    expectMailWidth(r.stdout);
  });

  it('an unknown spec is a usage error naming it', async () => {
    const r = await cli('specs', 'no-such-spec');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-spec');
  });

  it('--help exits 0 within 100 columns', async () => {
    const r = await cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('explore');
    expectMailWidth(r.stdout);
  });
});

describe('explore with mm-id', () => {
  it('prints the imprecision figure after the verdict (one thread), and in JSON', async () => {
    const args = ['explore', '--mms', '3', '--va', '2', '--pt', '2', '--large', '2', '--slots', '3', '--pins', '0'];
    const more = ['--ops', 'fault,fork,zap,exit', '--era', '6.15', '--max-depth', '8'];
    const r = await cli(...args, ...more);
    expect(r.status).toBe(3); // the depth bound
    expect(r.stdout).toMatch(/mm-id imprecision: \d+ of [\d,]+ \(state, large folio\) pairs/);
    const j = JSON.parse((await cli(...args, ...more, '--json')).stdout);
    expect(j.schemeFigures[0]).toMatch(/^mm-id imprecision/);
  });
});

describe('matrix', () => {
  it('--mix pins --scheme page-mapcount: exit 0, text within 100 columns, 5.9 loses the pin', async () => {
    const r = await cli('matrix', '--mix', 'pins', '--scheme', 'page-mapcount');
    expect(r.status).toBe(0);
    expectMailWidth(r.stdout);
    expect(r.stdout).toMatch(/^5\.9\/page\s+page-mapcount\s+ok\s+n\/a\s+n\/a\s+ok\s+x4 A/m);
  });

  it('--show: exit 1 and the counterexample step by step; a cell that holds: exit 0', async () => {
    const bad = await cli('matrix', '--mix', 'pins', '--show', '5.9/page/page-mapcount/pin');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('VIOLATION of pinSeesOwnersPage after 4 steps');
    expectMailWidth(bad.stdout);
    const good = await cli('matrix', '--mix', 'pins', '--show', '5.19/page/page-mapcount/pin');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('holds in every mix');
  });

  it('--json and --markdown', async () => {
    const j = await cli('matrix', '--mix', 'pins', '--era', '5.9', '--scheme', 'mm-id', '--json');
    expect(j.status).toBe(0);
    const o = JSON.parse(j.stdout);
    expect(o.rows[0].cells.pin).toMatchObject({ key: '5.9/page/mm-id/pin', verdict: 'fails', length: 4, mix: 'pins' });
    const md = await cli('matrix', '--mix', 'pins', '--era', '5.9', '--scheme', 'mm-id', '--markdown');
    expect(md.stdout).toContain('| 5.9/page | mm-id |');
  });

  it('a run cut short by a bound: exit 3, its cells "?", the run listed as not covered', async () => {
    const r = await cli(
      'matrix',
      '--mix',
      'thp',
      '--era',
      '5.19',
      '--ae',
      'page',
      '--scheme',
      'mm-id',
      '--max-seconds',
      '1',
    );
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^5\.19\/page\s+mm-id\s+\?/m);
    expect(r.stdout).toContain('NOT COVERED');
  });

  it('bad input: exit 2 naming the option, what was expected and what was given', async () => {
    for (const [args, flag] of [
      [['--show', '5.9/page/nope/pin'], '--show'],
      [['--era', '4.0'], '--era'],
      [['--mix', 'everything'], '--mix'],
      [['--era', '5.7', '--ae', 'folio'], '--era/--ae'],
      [['--markdown', '--json'], 'matrix'],
    ] as const) {
      const r = await cli('matrix', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(flag);
    }
  });
});

describe('the README agrees with --help and package.json', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
    version: string;
  };

  it("--version (and -V) prints package.json's version, exit 0", async () => {
    for (const flag of ['--version', '-V']) {
      const r = await cli(flag);
      expect(r.status, flag).toBe(0);
      expect(r.stdout, flag).toBe(`foliocheck ${pkg.version}\n`);
    }
  });

  it('the command table names every command of --help, and no other', async () => {
    const help = (await cli('--help')).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z]+) \[/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
    // The table under the "| command" header, to its first blank line.
    const start = readme.indexOf('| command ');
    const block = readme.slice(start, readme.indexOf('\n\n', start));
    const table = new Set([...block.matchAll(/^\| `([a-z]+)[ `]/gm)].map((m) => m[1] as string));
    expect([...table].sort()).toEqual([...commands].sort());
  });

  it('the main job is named alike by npm start, the README and the top-level help', async () => {
    expect(pkg.scripts.start).toMatch(/bin\.js matrix$/);
    expect(readme).toMatch(/npm start {3}# the main job: the matrix/);
    expect((await cli('--help')).stdout.replace(/\s+/g, ' ')).toContain(
      'The main job (npm start) is `foliocheck matrix`',
    );
  });
});
