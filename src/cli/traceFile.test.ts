/**
 * Traces as files: `--out` writes an ITF JSON trace with every state variable and the full bounds and policy;
 * `replay` re-runs it and says whether the recorded verdict recurs. Property: any script of enabled steps
 * round-trips. Also `explore --invariant` and `--continue`, whose traces these files hold.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import { replayTraceFile } from '../app/replay.js';
import { runSteps } from '../app/run.js';
import { actionLabel } from '../model/actions.js';
import { makeConfig } from '../model/configure.js';
import { PRESETS } from '../model/presets.js';
import { KernelSystem } from '../spec.js';
import { STATE_VARS } from '../trace.js';
import { traceFileJson } from './traceFile.js';

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-trace-'));

/** The bounds that make the child-pins vmsplice leak reachable: contents tracked, a pin, two mms, era 5.7. */
const LEAK_BOUNDS = ['--era', '5.7', '--data', '--pins', '1', '--mms', '2', '--va', '1', '--pt', '1', '--large', '1'];
const LEAK_OPS = ['--slots', '4', '--ops', 'write,fork,pin,zap'];

describe('explore --invariant and --continue', () => {
  it('--invariant dataIsolation --era 5.7 finds the vmsplice leak (CVE-2020-29374) in its scripted form', async () => {
    const r = await cli('explore', '--invariant', 'dataIsolation', ...LEAK_BOUNDS, ...LEAK_OPS, '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as {
      invariant: string;
      trace: { action: string; params: Record<string, number> }[];
    };
    expect(j.invariant).toBe('dataIsolation');
    // write(a,0); fork(a); pin(b,0); zap(b,0,1); write(a,0) with b the mm that pins and unmaps, a the other:
    // the scripted form up to the names of the mms.
    expect(j.trace.map((s) => s.action)).toEqual(['write', 'fork', 'pin', 'zap', 'write']);
    const [w0, , pin, zap, w1] = j.trace;
    expect(pin?.params.mm).toBe(zap?.params.mm);
    expect(w1?.params.mm).not.toBe(pin?.params.mm);
    expect(w0?.params.mm).toBe(0);
    const script = await cli(
      'run',
      '--steps',
      'write(0,0); fork(0); pin(1,0,ro); zap(1,0,1); write(0,0)',
      ...LEAK_BOUNDS,
      ...LEAK_OPS,
    );
    expect(script.stdout).toContain('VIOLATION of dataIsolation after step 5');
    // From 5.9 (reuse only at refcount 1) the same bounds hold; 5.8 still has the pin-before-fork variant.
    const fixed = await cli(
      'explore',
      '--invariant',
      'dataIsolation',
      ...LEAK_BOUNDS.map((x) => (x === '5.7' ? '5.9' : x)),
      ...LEAK_OPS,
    );
    expect(fixed.status).toBe(0);
  });

  it('an unknown invariant id: exit 2 listing the known ones', async () => {
    const r = await cli('explore', '--invariant', 'dataIsolation,nope', '--preset', 'core-tuple');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--invariant: expected ids of invariants these bounds check (ptesMapAllocatedPages,');
    expect(r.stderr).toContain('tupleCountMatchesPageTables');
    expect(r.stderr).toContain('got dataIsolation, nope'); // dataIsolation needs --data
  });

  it("--continue goes on past the first violation and reports each invariant's shortest counterexample", async () => {
    const first = await cli('explore', ...LEAK_BOUNDS, ...LEAK_OPS, '--json');
    const all = await cli('explore', ...LEAK_BOUNDS, ...LEAK_OPS, '--continue', '--json');
    expect(all.status).toBe(1);
    const f = JSON.parse(first.stdout) as { invariant: string; trace: unknown[] };
    const a = JSON.parse(all.stdout) as {
      invariant: string;
      violations: { invariant: string; length: number }[];
      holds: string[];
    };
    // The headline is the same either way; going on finds the leak too.
    expect(a.invariant).toBe(f.invariant);
    expect(a.violations.find((v) => v.invariant === f.invariant)?.length).toBe(f.trace.length);
    expect(a.violations.map((v) => v.invariant)).toContain('dataIsolation');
    expect(a.violations.length).toBeGreaterThan(1);
    const text = await cli('explore', ...LEAK_BOUNDS, ...LEAK_OPS, '--continue');
    expect(text.stdout).toContain('dataIsolation: violated after 5 steps: write(0,0); fork(0);');
  });
});

describe('--out and replay', () => {
  it('explore --out then replay: the same violation recurs (exit 0); the bounds line is a command line', async () => {
    const file = join(dir, 'leak.json');
    const r = await cli('explore', '--invariant', 'dataIsolation', ...LEAK_BOUNDS, ...LEAK_OPS, '--out', file);
    expect(r.status).toBe(1);
    const itf = JSON.parse(readFileSync(file, 'utf8')) as {
      '#meta': { bounds: Record<string, unknown>; steps: string[]; verdict: { kind: string } };
      vars: string[];
      states: Record<string, unknown>[];
    };
    expect(itf.vars).toEqual([...STATE_VARS]);
    expect(Object.keys(itf['#meta'].bounds).sort()).toEqual(
      [
        'mms',
        'va',
        'pt',
        'large',
        'slots',
        'pins',
        'ops',
        'map',
        'swap',
        'data',
        'orders',
        'era',
        'ae',
        'schemes',
      ].sort(),
    );
    expect(itf.states).toHaveLength(6);
    for (const s of itf.states) for (const v of STATE_VARS) expect(s[v]).toBeDefined();
    const again = await cli('replay', file);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('recorded: invariant-violated of dataIsolation after 5 steps -- recurs');
    // The printed bounds line, pasted back, gives the same run.
    const line = /bounds: ((?:[^\n]*\\\n)*[^\n]*)/.exec(r.stdout)?.[1] ?? '';
    const flags = line
      .replace(/\\\n/g, ' ')
      .split(/\s+/)
      .filter((x) => x !== '')
      .filter((x) => x !== '');
    const pasted = await cli('explore', '--invariant', 'dataIsolation', ...flags, '--json');
    expect((JSON.parse(pasted.stdout) as { bounds: unknown }).bounds).toEqual(itf['#meta'].bounds);
  });

  it('a file that does not replay: exit 2 naming the file, the step and why', async () => {
    const file = join(dir, 'leak.json');
    await cli('explore', '--invariant', 'dataIsolation', ...LEAK_BOUNDS, ...LEAK_OPS, '--out', file);
    const itf = JSON.parse(readFileSync(file, 'utf8')) as { states: { folio: { _refcount: number }[] }[] };
    const bad = join(dir, 'tampered.json');
    (itf.states[3]?.folio[0] as { _refcount: number })._refcount = 7;
    writeFileSync(bad, JSON.stringify(itf));
    const r = await cli('replay', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`foliocheck: ${bad}: step 3 pin(0,0): the state differs from the recorded one in folio\n`);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"#meta": {"bounds": {"mms": 99}}}');
    const j = await cli('replay', junk);
    expect(j.status).toBe(2);
    expect(j.stderr).toContain(`foliocheck: ${junk}: #meta.bounds.mms: expected an integer 1..8, got 99`);
  });

  it("a trace at the kernel's geometry (2 MiB THP, several MiB of states) replays, and views", async () => {
    const file = join(dir, 'pmd.json');
    const geometry = ['--mms', '2', '--va', '1024', '--pt', '512', '--large', '512', '--map', '512', '--slots', '8'];
    const r = await cli('run', ...geometry, '--pins', '1', '--steps', 'thp(0,0); fork(0); write(1,0)', '--out', file);
    expect(r.status).toBe(0);
    const again = await cli('replay', file);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('pass');
    const page = await cli('view', file, '--html', join(dir, 'pmd.html'));
    expect(page.status).toBe(0);
  });

  it('run --out and simulate --out write files that replay', async () => {
    const runFile = join(dir, 'run.json');
    const r = await cli('run', '--preset', 'core-tuple', '--steps', 'fault(0,0); zap(0,1,1)', '--out', runFile);
    expect(r.status).toBe(1);
    expect((await cli('replay', runFile)).status).toBe(0);
    const simFile = join(dir, 'sim.json');
    const s = await cli('simulate', '--preset', 'core-tuple', '--seed', '1', '--runs', '50', '--out', simFile);
    expect(s.status).toBe(1);
    const again = await cli('replay', simFile);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('tupleCountMatchesPageTables');
  });

  const cfg = makeConfig(PRESETS['whole-model']);
  const sys = new KernelSystem(cfg);
  /** A script of enabled steps: each choice picks the first enabled action from that index on. */
  function enabledScript(choices: readonly number[]): string[] {
    let cur = new Uint32Array(sys.stateWords);
    sys.writeInitial(cur, 0);
    const next = new Uint32Array(sys.stateWords);
    const out: string[] = [];
    for (const c of choices) {
      sys.load(cur, 0);
      for (let k = 0; k < sys.actionCount; k++) {
        const i = (c + k) % sys.actionCount;
        let ok = false;
        try {
          ok = sys.successor(i, next, 0);
        } catch {
          ok = false; // a kernel warning: not a step a script takes here
        }
        if (ok) {
          out.push(actionLabel(sys.describe(i)));
          [cur] = [next.slice()];
          break;
        }
      }
    }
    return out;
  }

  test.prop([fc.array(fc.nat(), { minLength: 1, maxLength: 8 })], { numRuns: 40 })(
    'any script of enabled steps round-trips: written, parsed, replayed, the same verdict',
    (choices) => {
      const steps = enabledScript(choices);
      const r = runSteps(cfg, steps.join('; ') || '', 'prop');
      const ran = 'trace' in r.verdict ? r.verdict.trace.length : r.indices.length;
      const doc = JSON.parse(JSON.stringify(traceFileJson(r.sys, r.verdict, r.indices.slice(0, ran), 'run')));
      const again = replayTraceFile(doc, 'prop.json');
      expect(again.verdict.mismatches).toEqual([]);
      expect(again.verdict.kind).toBe(r.verdict.kind);
    },
  );
});
