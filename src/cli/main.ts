/**
 * foliocheck's command line: commander wiring, and each command's options handed to its use case
 * (src/app/) and its result rendered (render.ts, renderCommands.ts). Exit status: `exitStatus` of the
 * result (0 pass or every expectation met, 1 violation or unmet expectation, 3 incomplete), 2 for bad
 * input or usage.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { type ExploreRun, exploreConfig } from '../app/explore.js';
import { runSteps } from '../app/run.js';
import type { RunControl } from '../app/search.js';
import { simulateConfig } from '../app/simulate.js';
import { benchVariant, runSpecSearch, selectSpecs, specGroups } from '../app/specs.js';
import type { Progress } from '../checker/limits.js';
import { exitStatus } from '../checker/verdict.js';
import { cmdKernel } from '../kernel/command.js';
import { MIXES } from '../matrix.js';
import { actionLabel } from '../model/actions.js';
import { BoundsRejected } from '../model/config.js';
import { ERAS } from '../model/eras.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import { PRESET_NAMES } from '../model/presets.js';
import { ScriptError, whyNotEnabled } from '../script.js';
import { PrefixNotEnabled, type SpecResult } from '../spec.js';
import { withInterrupt } from './interrupt.js';
import { cmdMatrix } from './matrixCommand.js';
import {
  addBoundOptions,
  addSearchOptions,
  boundsFromOptions,
  parseCount,
  parseSeed,
  presetBounds,
  type RawBoundOptions,
  type RawSearchOptions,
  searchFromOptions,
} from './options.js';
import { progressReporter } from './progress.js';
import { formatVerdict, verdictJson, wrap } from './render.js';
import { formatSpecResult, renderBench, renderRun, renderSimulate, specJson } from './renderCommands.js';
import { UsageError } from './usageError.js';
import { cmdView, writeHtml } from './viewCommand.js';

/** Runs `run` with Ctrl-C as a clean "incomplete" and, on a terminal, the progress line of `name`. */
function interactive<T>(name: string, run: (control: RunControl) => Promise<T>): Promise<T> {
  return withInterrupt(async (signal) => {
    const progress = progressReporter(name);
    try {
      return await run({
        signal,
        ...(progress !== undefined ? { onProgress: (p: Progress) => progress.update(p) } : {}),
      });
    } finally {
      progress?.done();
    }
  });
}

function print(json: boolean, text: string, obj: unknown): void {
  process.stdout.write(json ? `${JSON.stringify(obj, null, 2)}\n` : `${text}\n`);
}

function readScriptFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--file: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function cmdExplore(
  o: RawBoundOptions & RawSearchOptions & { json?: boolean; from?: string; html?: string },
): Promise<number> {
  const cfg = boundsFromOptions(o);
  const search = searchFromOptions(o);
  const name = o.preset ?? 'explore';
  let r: ExploreRun;
  try {
    r = await interactive(name, (control) => exploreConfig(cfg, name, o.from, search, control));
  } catch (e) {
    if (e instanceof PrefixNotEnabled) {
      throw new UsageError(
        `--from: step ${e.step} ${actionLabel(e.action)} is not enabled: ${whyNotEnabled(e.action, e.code)}`,
      );
    }
    throw e;
  }
  const { sys, verdict, figures } = r;
  const text = [formatVerdict(sys, verdict, sys.name), ...figures.flatMap((f) => wrap(f, '  '))].join('\n');
  const json = { ...verdictJson(sys, verdict, sys.name), ...(figures.length > 0 ? { schemeFigures: figures } : {}) };
  print(o.json === true, text, json);
  writeHtml(o.html, json);
  return exitStatus(verdict);
}

async function cmdRun(
  o: RawBoundOptions & { steps?: string; file?: string; json?: boolean; html?: string },
): Promise<number> {
  if ((o.steps === undefined) === (o.file === undefined)) {
    throw new UsageError('run: expected exactly one of --steps "<script>" or --file <script file>');
  }
  const source = o.file ?? '--steps';
  const text = o.file !== undefined ? readScriptFile(o.file) : (o.steps as string);
  const cfg = boundsFromOptions(o);
  const r = runSteps(cfg, text, source);
  const d = r.run.replay.disabled;
  if (d !== undefined) {
    throw new UsageError(
      `${source}: step ${d.step} ${actionLabel(d.action)} is not enabled: ${whyNotEnabled(d.action, d.code)}`,
    );
  }
  const out = renderRun(r, cfg);
  print(o.json === true, out.text, out.json);
  writeHtml(o.html, out.json);
  return exitStatus(r.verdict);
}

async function cmdSpecs(o: RawSearchOptions & { all?: boolean; json?: boolean; name?: string[] }): Promise<number> {
  const search = searchFromOptions(o);
  const { specs, unknown } = selectSpecs(o.name ?? [], o.all === true);
  if (unknown.length > 0) {
    const groups = specGroups().join(', ');
    throw new UsageError(`spec: expected a spec name or its beginning (${groups}, ...), got ${unknown.join(', ')}`);
  }
  const results: SpecResult[] = [];
  for (const spec of specs) {
    const r = await interactive(spec.name, (control) => runSpecSearch(spec, search, control));
    results.push(r);
    if (o.json !== true) process.stdout.write(`${formatSpecResult(r)}\n${spec.script === undefined ? '\n' : ''}`);
  }
  const status = exitStatus(results.map((r) => r.verdict));
  if (o.json === true) process.stdout.write(`${JSON.stringify(results.map(specJson), null, 2)}\n`);
  else {
    const met = status === 0 ? 'every expectation met' : 'NOT every expectation met';
    process.stdout.write(`${specs.length} spec${specs.length === 1 ? '' : 's'} run: ${met}\n`);
  }
  return status;
}

async function cmdBench(variant: string | undefined, o: RawSearchOptions & { json?: boolean }): Promise<number> {
  const name = variant ?? 'core-safe-s5';
  const bounds = presetBounds(name, 'variant');
  // A benchmark uses every core unless told otherwise; explore stays on one thread, deterministic.
  const search = searchFromOptions(o, { workers: 'auto' });
  const b = await interactive(name, (control) => benchVariant(name, bounds, search, control));
  const out = renderBench(name, b);
  print(o.json === true, out.text, out.json);
  return exitStatus(b.verdict);
}

async function cmdSimulate(
  o: RawBoundOptions & { seed?: string; runs?: string; steps?: string; json?: boolean; html?: string },
): Promise<number> {
  const cfg = boundsFromOptions(o);
  const seed = o.seed === undefined ? Date.now() % 2 ** 31 : parseSeed(o.seed);
  const runs = o.runs === undefined ? 1000 : parseCount('runs', o.runs);
  const steps = o.steps === undefined ? 50 : parseCount('steps', o.steps);
  const { sys, verdict } = simulateConfig(cfg, o.preset ?? 'simulate', { seed, runs, steps });
  const out = renderSimulate(sys, cfg, verdict);
  print(o.json === true, out.text, out.json);
  writeHtml(o.html, out.json);
  return exitStatus(verdict);
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
        .option('--json', 'print the whole result as one JSON object (trace in ITF shape)')
        .option('--html <out>', 'also write the trace as a self-contained HTML page (see view)'),
    ),
  ).action(async (o) => run(await cmdExplore(o)));

  addBoundOptions(
    program
      .command('run')
      .description('replay a script of steps, checking every invariant after every step')
      .option('--steps <script>', 'the steps, e.g. "fault(0,0); fork(0); pin(1,0); wp(0,0)"')
      .option('--file <path>', 'read the steps from a file (one per line or ;-separated, # comments)')
      .option('--json', 'print one JSON object (trace in ITF shape)')
      .option('--html <out>', 'also write the trace as a self-contained HTML page (see view)'),
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
      .option('--json', 'print one JSON object')
      .option('--html <out>', 'also write the shrunk walk as a self-contained HTML page (see view)'),
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
    .command('view')
    .description('write an ITF trace (a --json output or an ITF file) as one self-contained HTML page')
    .argument('<file>', 'the trace')
    .option('--html <out>', 'the page to write (default: FILE with .html)')
    .action((file: string, o) => run(cmdView(file, o)));

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
