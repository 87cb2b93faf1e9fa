/**
 * Bad input, generated: options out of range or empty, bounds under which an enabled step can never run,
 * contradictory flags, malformed scripts, unknown spec names, the argument parser's own errors. Every one
 * is refused the same way: exit 2, one line `foliocheck: <where>: expected ..., got ...` naming the field,
 * no stack trace, at once (run in-process, 2,000 inputs a run).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { LIMITS } from '../src/model/bounds.js';
import { cli } from './cli.js';

/** A bad input: the arguments after `foliocheck`, and what its message must name. */
interface Bad {
  readonly args: readonly string[];
  readonly where: string;
}

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const notANumber = fc.oneof(
  fc.constantFrom('', ' ', '-1', '1.5', '0x10', '1e3', 'abc', '+2', '٣'),
  word.filter((w) => !/^\d+$/.test(w)),
);

/** A numeric bound given a value it can never take. */
const badInt: fc.Arbitrary<Bad> = fc
  .constantFrom(...(Object.keys(LIMITS) as (keyof typeof LIMITS)[]))
  .chain((field) =>
    fc
      .oneof(notANumber, fc.integer({ min: LIMITS[field] + 1, max: 10 ** 9 }).map(String))
      .map((v) => ({ args: ['explore', `--${field}`, v], where: `--${field}` })),
  );

/** A list given nothing, an empty item, or a name that is not on it. */
const badList: fc.Arbitrary<Bad> = fc
  .tuple(
    fc.constantFrom(['--ops', 'explore'], ['--scheme', 'explore'], ['--orders', 'run'], ['--era', 'matrix']),
    fc.oneof(
      fc.constantFrom('', ',', ' , ', 'fault,,zap', ',fault', 'fault,'),
      word.map((w) => `zz${w}`),
      fc.tuple(word, word).map(([a, b]) => `zz${a},,${b}`),
    ),
  )
  .map(([[flag, command], v]) => ({
    args: command === 'run' ? [command, '--steps', 'fault(0,0)', flag, v] : [command, flag, v],
    where: flag,
  }));

/** Bounds that leave an enabled step impossible, or no step at all. */
const unrunnable: fc.Arbitrary<Bad> = fc.constantFrom<Bad>(
  { args: ['explore', '--mms', '1'], where: '--mms' },
  { args: ['explore', '--ops', 'fault,fork', '--mms', '1'], where: '--mms' },
  { args: ['explore', '--pins', '0'], where: '--pins' },
  { args: ['explore', '--ops', 'fault,pin_rw', '--pins', '0'], where: '--pins' },
  { args: ['explore', '--ops', 'fault,pageout', '--swap', '0'], where: '--swap' },
  { args: ['run', '--steps', 'fault(0,0)', '--ops', 'fault,pageout'], where: '--swap' },
  { args: ['explore', '--ops', 'fault,thp', '--pt', '1', '--large', '1'], where: '--pt' },
  { args: ['explore', '--ops', 'fault,split_folio', '--large', '1'], where: '--large' },
  { args: ['explore', '--map', '0'], where: '--map' },
  { args: ['simulate', '--preset', 'whole-model', '--map', '0'], where: '--map' },
  { args: ['explore', '--ae', 'folio', '--era', '5.9'], where: '--ae' },
  { args: ['simulate', '--ae', 'folio', '--era', '5.7'], where: '--ae' },
  { args: ['explore', '--tuple', '--no-tuple'], where: '--no-tuple' },
  { args: ['run', '--no-tuple', '--tuple', '--steps', 'fault(0,0)'], where: '--no-tuple' },
);

/** A script with no step, or a step that does not parse. */
const badStep = fc.oneof(
  fc.constantFrom('fault(0,,0)', 'fault(ro,rw)', 'fault(0,0,)', 'fault(0,0', 'fault 0 0', 'fault(-1,0)', 'pin(0,0,xx)'),
  fc.constantFrom('fault(0,0))', 'fault((0,0)', 'FAULT(0,0)', 'fault(0x1,0)', 'wp(rw,0)', 'zap(0,0,,1)'),
  fc.tuple(word, fc.array(notANumber, { minLength: 1, maxLength: 3 })).map(([n, a]) => `${n}(${a.join(',')}`),
  fc.nat({ max: 3000 }).map((n) => `fault(${' '.repeat(n)}`),
  word.map((w) => `zz${w}(0,0)`),
);
const emptyScript = fc
  .array(fc.constantFrom(';', '\n', ' ', '\t', '# note', '#;'), { maxLength: 8 })
  .map((parts) => parts.join(''))
  // A comment runs to the end of its line only: '#' then ';' would still hide what follows on that line.
  .filter(
    (s) =>
      s
        .replace(/#[^\n]*/g, '')
        .trim()
        .replace(/[;\s]/g, '') === '',
  );
const badScript: fc.Arbitrary<Bad> = fc.oneof(
  emptyScript.map((s) => ({ args: ['run', '--steps', s], where: '--steps' })),
  fc
    .tuple(fc.array(fc.constantFrom('fault(0,0)', 'fork(0)', 'wp(1,0)'), { maxLength: 3 }), badStep)
    .map(([good, bad]) => ({ args: ['run', '--steps', [...good, bad].join('; ')], where: '--steps' })),
  badStep.map((s) => ({ args: ['explore', '--from', s], where: '--from' })),
);

/** Search options out of range. */
const badSearch: fc.Arbitrary<Bad> = fc
  .tuple(
    fc.constantFrom('explore', 'specs', 'bench', 'simulate'),
    fc.constantFrom('--max-states', '--max-seconds', '--max-memory'),
    fc.oneof(notANumber, fc.constant('0')),
  )
  .map(([cmd, flag, v]) => ({ args: [cmd, flag, v], where: flag }))
  .filter((b) => !(b.args[1] === '--max-seconds' && /^\d+(\.\d+)?$/.test(b.args[2] ?? '') && b.args[2] !== '0'));
const badWorkers: fc.Arbitrary<Bad> = fc
  .oneof(fc.integer({ min: 10_000, max: 10 ** 9 }).map(String), fc.constantFrom('0', '-2', 'all', ''))
  .map((v) => ({ args: ['explore', '--workers', v], where: '--workers' }));

/** Spec names that select no spec (no spec name begins with `zz`), and the empty name. */
const badSpecs: fc.Arbitrary<Bad> = fc
  .oneof(
    word.map((w) => `zz${w}`),
    fc.constant(''),
  )
  .map((name) => ({ args: ['specs', name], where: 'spec' }));

/** The argument parser's own errors: unknown options, stray arguments, missing values. */
const parserErrors: fc.Arbitrary<Bad> = fc.oneof(
  fc
    .tuple(fc.constantFrom('explore', 'run', 'simulate', 'matrix', 'bench'), word)
    .map(([cmd, w]) => ({ args: [cmd, `--zz${w}`], where: cmd })),
  fc
    .tuple(fc.constantFrom('explore', 'run', 'simulate', 'matrix'), word)
    .map(([cmd, w]) => ({ args: [cmd, `zz${w}`], where: cmd })),
  word.map((w) => ({ args: ['bench', 'core-safe-p0', w], where: 'bench' })),
  fc
    .constantFrom('--mms', '--ops', '--preset', '--steps', '--file', '--max-states')
    .map((flag) => ({ args: [flag === '--steps' || flag === '--file' ? 'run' : 'explore', flag], where: flag }))
    .filter((b) => !(b.args[0] === 'explore' && (b.args[1] === '--steps' || b.args[1] === '--file'))),
);

const BAD = fc.oneof(badInt, badList, unrunnable, badScript, badSearch, badWorkers, badSpecs, parserErrors);

describe('bad input is refused: exit 2, one line naming the field, no stack trace, at once', () => {
  test.prop([BAD], { numRuns: 2000 })('refused', async (bad) => {
    const t0 = performance.now();
    const r = await cli(...bad.args);
    const ms = performance.now() - t0;
    const shown = JSON.stringify(bad.args).slice(0, 200);
    expect(r.status, `${shown}: ${r.stderr}`).toBe(2);
    expect(r.stdout, shown).toBe('');
    expect(r.stderr, shown).toMatch(/^foliocheck: [^\n]*expected [^\n]*\n$/);
    expect(r.stderr, shown).toContain(`${bad.where}`);
    expect(r.stderr, shown).not.toMatch(/^\s+at /m);
    // A hang bound, not a speed figure: the hangs this guards against blocked for good (a FIFO) or took
    // 19-26 s (a quadratic parser); the first input of each command also loads that command's modules,
    // over a second on a loaded machine.
    expect(ms, shown).toBeLessThan(5000);
  });
});
