/**
 * foliocheck's command line. Exit status: 0 pass (every expectation met), 1 violation or unmet
 * expectation, 2 bad input or usage, 3 incomplete (a bound or an interrupt stopped the search first).
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { SPECS } from '../../specs/index.js';
import type { ExploreOptions, Progress } from '../checker/explore.js';
import { simulate } from '../checker/simulate.js';
import { exitStatus, type Verdict } from '../checker/verdict.js';
import { cmdKernel } from '../kernel/command.js';
import { MIXES } from '../matrix.js';
import { type Action, actionLabel } from '../model/actions.js';
import { BoundsRejected, OP_NAMES, PRESET_NAMES } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { DEFAULT_ERA, ERAS } from '../model/eras.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import { runScriptSpec } from '../runSpec.js';
import { parseScript, resolveScript, ScriptError, whyNotEnabled } from '../script.js';
import { compareWithSpec, exploreKernel, KernelSystem, PrefixNotEnabled, type SpecResult } from '../spec.js';
import { replay, runScript, TraceDoesNotReplay } from '../trace.js';
import { withInterrupt } from './interrupt.js';
import { cmdMatrix } from './matrixCommand.js';
import {
  boundsFromOptions,
  parseCount,
  parseSeed,
  presetBounds,
  type RawBoundOptions,
  type RawSearchOptions,
  type SearchOptions,
  searchFromOptions,
} from './options.js';
import { progressReporter } from './progress.js';
import { formatBounds, formatSteps, formatVerdict, itfTrace, verdictJson, wrap } from './render.js';
import { UsageError } from './usageError.js';

/** Published bench-core figures (shared/bench/core-model.md), for `bench`. */
const BENCH_SPECS = Object.fromEntries(SPECS.map((s) => [s.name, s]));

function addBoundOptions(cmd: Command): Command {
  return cmd
    .option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')}); flags override it`)
    .option('--mms <n>', 'most mms (mm 0 exists; fork creates the others)')
    .option('--va <n>', 'virtual pages per mm (a multiple of --pt)')
    .option('--pt <n>', 'PTEs per page table')
    .option('--large <n>', 'pages of a large folio (a power of two dividing --pt; 1 = small folios only)')
    .option('--slots <n>', 'folio slots (allocation beyond them is not enabled)')
    .option('--pins <n>', 'most live pins')
    .option('--ops <list>', `enabled steps, of ${OP_NAMES.join(',')} (default: bench-core's six)`)
    .option('--map <n>', 'pages mapped at the start (mm 0 maps 0..n-1; the rest is free for mremap); default --va')
    .option('--swap <n>', 'swap slots (default 0: no swap)')
    .option('--orders <list>', 'mTHP orders a write fault may allocate, e.g. 1,2 (default: the order of --large)')
    .option('--data', 'track page contents and check data isolation between mms and pins')
    .option('--era <era>', `kernel era whose rules apply: ${ERAS.join(', ')} (default ${DEFAULT_ERA})`)
    .option('--ae <granularity>', 'PG_anon_exclusive per page (the kernel) or per folio (default page)')
    .option('--scheme <list>', `mapcount schemes to maintain and check: ${SCHEME_NAMES.join(', ')}`)
    .option('--tuple', 'shorthand for adding --scheme tuple-naive')
    .option('--no-tuple', "drop tuple-naive from the preset's schemes");
}

function addSearchOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--store <mode>', 'visited-state store: exact or fingerprint (64-bit)').default('exact'))
    .option('--max-depth <n>', 'do not expand states at this depth')
    .option('--max-states <n>', 'stop after this many distinct states')
    .option('--max-seconds <s>', 'stop after this much time')
    .option('--max-memory <MiB>', 'stop when resident memory passes this (default: 90% of RAM)')
    .option(
      '--workers <n>',
      'threads for the search, or auto (one per core); 1 (default but for bench) is deterministic',
    );
}

/** Runs an exploration with progress on a terminal and Ctrl-C as a clean "incomplete". */
async function exploreInteractive(sys: KernelSystem, search: SearchOptions): Promise<Verdict<Action>> {
  return withInterrupt((signal) => exploreWithProgress(sys, search, signal));
}

async function exploreWithProgress(
  sys: KernelSystem,
  search: SearchOptions,
  signal: AbortSignal,
): Promise<Verdict<Action>> {
  const progress = progressReporter(sys.name);
  const opts: ExploreOptions = {
    store: search.store,
    signal,
    maxMemoryBytes: search.maxMemoryBytes ?? defaultMemoryLimit(),
    ...(search.maxDepth !== undefined ? { maxDepth: search.maxDepth } : {}),
    ...(search.maxStates !== undefined ? { maxStates: search.maxStates } : {}),
    ...(search.maxSeconds !== undefined ? { maxSeconds: search.maxSeconds } : {}),
    ...(progress !== undefined ? { onProgress: (p: Progress) => progress.update(p) } : {}),
  };
  try {
    return await exploreKernel(sys, { ...opts, workers: search.workers });
  } finally {
    progress?.done();
  }
}

/** Stop before the machine runs out: most of physical memory, leaving room for the report. */
function defaultMemoryLimit(): number {
  return totalmem() * 0.9;
}

function print(json: boolean, text: string, obj: unknown): void {
  process.stdout.write(json ? `${JSON.stringify(obj, null, 2)}\n` : `${text}\n`);
}

/** The steps of `--steps`/`--from` text or of a script file, as action indices of `sys`'s configuration. */
function scriptIndices(sys: KernelSystem, text: string, source: string): number[] {
  return resolveScript(sys, parseScript(text, source), source);
}

function readScriptFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--file: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function cmdExplore(o: RawBoundOptions & RawSearchOptions & { json?: boolean; from?: string }): Promise<number> {
  const cfg = boundsFromOptions(o);
  const search = searchFromOptions(o);
  const name = o.preset ?? 'explore';
  const prefix = o.from === undefined ? [] : scriptIndices(new KernelSystem(cfg, name), o.from, '--from');
  const sys = new KernelSystem(cfg, name, prefix);
  try {
    sys.initialKernel();
  } catch (e) {
    if (e instanceof PrefixNotEnabled) {
      throw new UsageError(
        `--from: step ${e.step} ${actionLabel(e.action)} is not enabled: ${whyNotEnabled(e.action, e.code)}`,
      );
    }
    throw e;
  }
  const v = await exploreInteractive(sys, search);
  // The schemes' figures (mm-id's imprecision) are gathered by the one-thread search only.
  const figures = search.workers === 1 ? sys.schemeReports() : [];
  const text = [formatVerdict(sys, v, sys.name), ...figures.flatMap((f) => wrap(f, '  '))].join('\n');
  const json = { ...verdictJson(sys, v, sys.name), ...(figures.length > 0 ? { schemeFigures: figures } : {}) };
  print(o.json === true, text, json);
  return exitStatus(v);
}

async function cmdRun(o: RawBoundOptions & { steps?: string; file?: string; json?: boolean }): Promise<number> {
  if ((o.steps === undefined) === (o.file === undefined)) {
    throw new UsageError('run: expected exactly one of --steps "<script>" or --file <script file>');
  }
  const source = o.file ?? '--steps';
  const text = o.file !== undefined ? readScriptFile(o.file) : (o.steps as string);
  const cfg = boundsFromOptions(o);
  const sys = new KernelSystem(cfg, 'run');
  const indices = scriptIndices(sys, text, source);
  const run = runScript(sys, indices);
  const r = run.replay;
  if (r.disabled !== undefined) {
    const d = r.disabled;
    throw new UsageError(
      `${source}: step ${d.step} ${actionLabel(d.action)} is not enabled: ${whyNotEnabled(d.action, d.code)}`,
    );
  }
  const lines = [...formatSteps(r)];
  let status = 0;
  let verdict: string;
  if (run.violation !== undefined) {
    const v = run.violation;
    verdict = 'violation';
    status = 1;
    lines.unshift(...wrap(`run: VIOLATION of ${v.invariant} after step ${v.step} of ${indices.length}`, ''), '');
    lines.push('', `  ${v.invariant} fails:`, ...v.why.flatMap((w) => wrap(w, '    ')));
  } else if (r.failure !== undefined) {
    verdict = 'violation';
    status = 1;
    lines.unshift(`run: KERNEL WARNING at step ${r.failure.step}: ${r.failure.why}`, '');
  } else {
    verdict = 'pass';
    lines.unshift(`run: pass: ${sys.invariantNames.length} invariants hold after each of ${indices.length} steps`, '');
  }
  lines.push(`  bounds: ${formatBounds(cfg)}`);
  const obj = {
    verdict,
    ...(run.violation !== undefined ? { invariant: run.violation.invariant, after: run.violation.step } : {}),
    ...(r.failure !== undefined ? { message: r.failure.why } : {}),
    trace: r.steps.map((s, i) => ({ step: i + 1, action: s.label, call: s.call, changes: s.changes })),
    itf: itfTrace(sys, r, 'run'),
    bounds: cfg.bounds(),
  };
  print(o.json === true, lines.join('\n'), obj);
  return status;
}

function formatSpecResult(r: SpecResult): string {
  if (r.spec.script !== undefined && r.verdict.kind === 'success' && r.mismatches.length === 0) {
    return wrap(`${r.spec.name}: pass (${r.verdict.stats.edges} steps)`, '').join('\n');
  }
  const lines = [formatVerdict(r.sys, r.verdict, r.spec.name)];
  if (r.mismatches.length === 0) lines.push(`  expected: ${expectation(r)} -- met`);
  else for (const m of r.mismatches) lines.push(`  UNMET EXPECTATION ${m}`);
  return lines.join('\n');
}

function expectation(r: SpecResult): string {
  const e = r.spec.expect;
  if (e.verdict === 'invariant-violated') return `${e.invariant} violated in ${e.traceLength} steps`;
  const figures = [
    e.states !== undefined ? `${e.states.toLocaleString('en-US')} states` : undefined,
    e.edges !== undefined ? `${e.edges.toLocaleString('en-US')} edges` : undefined,
    e.depth !== undefined ? `depth ${e.depth}` : undefined,
  ].filter((x) => x !== undefined);
  return `pass${figures.length > 0 ? `, ${figures.join(', ')}` : ''}`;
}

async function cmdSpecs(o: RawSearchOptions & { all?: boolean; json?: boolean; name?: string[] }): Promise<number> {
  const search = searchFromOptions(o);
  let specs = SPECS.filter((s) => o.all === true || s.heavy !== true);
  if (o.name !== undefined && o.name.length > 0) {
    // A name selects the spec of that name, else those it begins: `specs cow` runs every cow.c spec.
    const exact = (n: string): boolean => SPECS.some((s) => s.name === n);
    const selects = (n: string, s: { name: string }): boolean => (exact(n) ? s.name === n : s.name.startsWith(n));
    const unknown = o.name.filter((n) => !SPECS.some((s) => selects(n, s)));
    if (unknown.length > 0) {
      const groups = [...new Set(SPECS.map((s) => s.name.split(':')[0] as string))].join(', ');
      throw new UsageError(`spec: expected a spec name or its beginning (${groups}, ...), got ${unknown.join(', ')}`);
    }
    specs = SPECS.filter((s) => o.name?.some((n) => selects(n, s)));
  }
  let status = 0;
  const results: unknown[] = [];
  for (const spec of specs) {
    const sys = new KernelSystem(makeConfig(spec.bounds), spec.name);
    const verdict = spec.script !== undefined ? runScriptSpec(sys, spec.script) : await exploreInteractive(sys, search);
    const r: SpecResult = { spec, sys, verdict, mismatches: compare(spec, verdict) };
    if (o.json === true)
      results.push({
        ...verdictJson(sys, verdict, spec.name),
        expect: spec.expect,
        met: r.mismatches.length === 0,
        mismatches: r.mismatches,
      });
    else process.stdout.write(`${formatSpecResult(r)}\n${spec.script === undefined ? '\n' : ''}`);
    if (verdict.kind === 'incomplete') status = Math.max(status, 3);
    else if (r.mismatches.length > 0) status = status === 3 ? 3 : 1;
  }
  if (o.json === true) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    const met = status === 0 ? 'every expectation met' : 'NOT every expectation met';
    process.stdout.write(`${specs.length} spec${specs.length === 1 ? '' : 's'} run: ${met}\n`);
  }
  return status;
}

function compare(spec: SpecResult['spec'], v: Verdict<Action>): string[] {
  return compareWithSpec(spec.expect, v);
}

async function cmdBench(variant: string | undefined, o: RawSearchOptions & { json?: boolean }): Promise<number> {
  const name = variant ?? 'core-safe-s5';
  const bounds = presetBounds(name, 'variant');
  // A benchmark uses every core unless told otherwise; explore stays on one thread, deterministic.
  const search = searchFromOptions({ ...o, workers: o.workers ?? 'auto' });
  const sys = new KernelSystem(makeConfig(bounds), name);
  const v = await exploreInteractive(sys, search);
  const spec = BENCH_SPECS[name];
  const mismatches = spec === undefined ? [] : compare(spec, v);
  const obj = { ...verdictJson(sys, v, name), published: spec?.expect, matchesPublished: mismatches.length === 0 };
  const text = [formatVerdict(sys, v, name), ...mismatches.map((m) => `  DIFFERS FROM PUBLISHED ${m}`)].join('\n');
  print(o.json === true, text, obj);
  if (v.kind === 'incomplete') return 3;
  return mismatches.length > 0 ? 1 : 0;
}

async function cmdSimulate(
  o: RawBoundOptions & { seed?: string; runs?: string; steps?: string; json?: boolean },
): Promise<number> {
  const cfg = boundsFromOptions(o);
  const seed = o.seed === undefined ? Date.now() % 2 ** 31 : parseSeed(o.seed);
  const runs = o.runs === undefined ? 1000 : parseCount('runs', o.runs);
  const steps = o.steps === undefined ? 50 : parseCount('steps', o.steps);
  const sys = new KernelSystem(cfg, o.preset ?? 'simulate');
  const r = simulate(sys, { seed, runs, steps });
  if (r.kind === 'success') {
    const text = [
      `simulate: pass: ${runs} random walks of up to ${steps} steps, no violation (seed ${seed})`,
      `  bounds: ${formatBounds(cfg)}`,
      `  ${r.seconds.toFixed(2)} s`,
    ].join('\n');
    print(o.json === true, text, { verdict: 'pass', seed, runs, steps, seconds: r.seconds, bounds: cfg.bounds() });
    return 0;
  }
  const lines = wrap(
    `simulate: ${r.kind === 'invariant-violated' ? `VIOLATION of ${r.what}` : r.what} after ${r.trace.length} ` +
      `steps, shrunk from ${r.originalLength} (seed ${seed}; not necessarily shortest: explore finds that)`,
    '',
  );
  let steps2: string[] = [];
  try {
    const rep = replay(
      sys,
      r.trace.map((s) => s.index),
      r.kind !== 'invariant-violated',
    );
    steps2 = formatSteps(rep);
    if (r.kind === 'invariant-violated') {
      const last = rep.steps.at(-1)?.after ?? rep.initial;
      steps2.push(...sys.explain(sys.invariantNames.indexOf(r.what), last).flatMap((w) => wrap(w, '    ')));
    }
  } catch (e) {
    if (!(e instanceof TraceDoesNotReplay)) throw e;
    steps2 = [`  (the trace does not replay: ${e.message})`];
  }
  const text = [...lines, '', ...steps2, `  bounds: ${formatBounds(cfg)}`].join('\n');
  const obj = {
    verdict: r.kind === 'model-error' ? 'error' : 'violation',
    kind: r.kind,
    what: r.what,
    seed,
    runs,
    steps,
    originalLength: r.originalLength,
    trace: r.trace.map((s, i) => {
      const { kind, ...params } = s.action;
      return { step: i + 1, action: kind, params };
    }),
    bounds: cfg.bounds(),
  };
  print(o.json === true, text, obj);
  return 1;
}

export function buildProgram(run: (status: number) => void): Command {
  const program = new Command('foliocheck')
    .description(
      'Explicit-state model checker for the Linux kernel anonymous-memory rules: folios, PTEs, mapcounts,\n' +
        'PG_anon_exclusive, COW and GUP pins. Without a command, runs the regression specs (the main job).',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(see --help)');

  addSearchOptions(
    program
      .command('specs', { isDefault: true })
      .description('run the regression specs and compare each verdict with its expectation')
      .argument('[name...]', 'only the specs with these names, or names beginning so (e.g. cow, core-)')
      .option('--all', 'also the heavy ones (bench-core core-safe-s5 and core-safe)')
      .option('--json', 'print one JSON array'),
  ).action(async (name: string[], o) => run(await cmdSpecs({ ...o, name })));

  addSearchOptions(
    addBoundOptions(
      program
        .command('explore')
        .description('exhaustive breadth-first search; stops at the shortest counterexample')
        .option('--from <steps>', 'explore from the state these steps reach, e.g. "fault(0,0); fork(0)"')
        .option('--json', 'print the whole result as one JSON object (trace in ITF shape)'),
    ),
  ).action(async (o) => run(await cmdExplore(o)));

  addBoundOptions(
    program
      .command('run')
      .description('replay a script of steps, checking every invariant after every step')
      .option('--steps <script>', 'the steps, e.g. "fault(0,0); fork(0); pin(1,0); wp(0,0)"')
      .option('--file <path>', 'read the steps from a file (one per line or ;-separated, # comments)')
      .option('--json', 'print one JSON object (trace in ITF shape)'),
  ).action(async (o) => run(await cmdRun(o)));

  addSearchOptions(
    program
      .command('bench')
      .description('run a bench-core variant and compare with the published figures (on every core by default)')
      .argument('[variant]', `one of ${PRESET_NAMES.join(', ')} (default core-safe-s5)`)
      .option('--json', 'print one JSON object'),
  ).action(async (variant: string | undefined, o) => run(await cmdBench(variant, o)));

  addBoundOptions(
    program
      .command('simulate')
      .description('random walks (fast-check) that stop at a violation and shrink it to a minimal sequence')
      .option('--seed <n>', 'random seed (printed, so a run can be repeated)')
      .option('--runs <n>', 'number of walks', '1000')
      .option('--steps <n>', 'most steps per walk', '50')
      .option('--json', 'print one JSON object'),
  ).action(async (o) => run(await cmdSimulate(o)));

  addBoundOptions(
    program
      .command('kernel')
      .description(
        'replay a script (or random sequences) on the model and the running kernel, compared after every step',
      )
      .option('--steps <script>', 'the steps, e.g. "write(0,0); fork(0); write(1,0)"')
      .option('--file <path>', 'read the steps from a file')
      .option('--random', 'random step sequences the model enables (fast-check), shrunk on divergence')
      .option('--runs <n>', 'random sequences (default 100)')
      .option('--length <n>', 'most steps per random sequence (default 12)')
      .option('--seed <n>', 'random seed')
      .option('--json', 'print one JSON object'),
  ).action(async (o) => run(await cmdKernel(o)));

  program
    .command('matrix')
    .description('every era x AnonExclusive granularity x mapcount scheme over the standard mixes: what breaks where')
    .option('--markdown', 'print the table as Markdown')
    .option('--json', 'print one JSON object, with every counterexample')
    .option('--show <key>', "print one cell's counterexample, key era/ae/scheme/property (e.g. 5.9/page/mm-id/pin)")
    .option('--era <list>', `only these eras (${ERAS.join(',')})`)
    .option('--ae <list>', 'only these AnonExclusive granularities (page,folio)')
    .option('--scheme <list>', `only these schemes (${SCHEME_NAMES.join(',')})`)
    .option('--mix <list>', `only these mixes (${MIXES.map((m) => m.name).join(',')})`)
    .option('--max-depth <n>', "explore every mix to this depth instead of the mix's own")
    .option('--max-seconds <s>', 'stop each run after this many seconds (its cells then say so)')
    .action(async (o) => run(await cmdMatrix(o)));
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let status = 0;
  const program = buildProgram((s) => {
    status = s;
  });
  try {
    await program.parseAsync(argv as string[]);
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; any other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof ScriptError) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    if (e instanceof BoundsRejected) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
