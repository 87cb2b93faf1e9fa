/**
 * foliocheck's command line: commander wiring, and each command's options handed to its use case
 * (src/app/) and its result rendered (render.ts, renderCommands.ts). Exit status: `exitStatus` of the
 * result (0 pass or every expectation met, 1 violation or unmet expectation, 3 incomplete, 5 model
 * error), 2 for bad input or usage, 5 for an exception foliocheck did not expect (an internal error); 4 is
 * `kernel`'s SKIP (kselftest's KSFT_SKIP: the kernel cannot be observed here).
 *
 * Over 300 lines: `buildProgram` is the command table, read as one the way `--help` shows it; the commands'
 * own work is in their modules.
 */
import { Command, CommanderError } from 'commander';
import { type ExploreRun, exploreConfig } from '../app/explore.js';
import { runSteps } from '../app/run.js';
import { CheckpointError } from '../checker/checkpoint.js';
import { exitStatus } from '../checker/verdict.js';
import { MIXES } from '../matrix.js';
import { actionLabel } from '../model/actions.js';
import { BoundsRejected } from '../model/config.js';
import { ERAS } from '../model/eras.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import { PRESET_NAMES } from '../model/presets.js';
import { loadSchemeArgs, SchemeFileError } from '../schemeFile.js';
import { ScriptError, whyNotEnabled } from '../script.js';
import { PrefixNotEnabled } from '../spec.js';
import {
  addCheckpointOptions,
  checkpointOption,
  continueJson,
  continueLines,
  parseInvariantChoice,
} from './exploreChoice.js';
import { interactive } from './interactive.js';
import { withInterrupt } from './interrupt.js';
import {
  addBoundOptions,
  addSearchOptions,
  boundsFromOptions,
  presetBounds,
  type RawBoundOptions,
  type RawSearchOptions,
  searchFromOptions,
} from './options.js';
import { oneLineParserErrors, ParserError, parserErrorLine } from './parserErrors.js';
import { formatVerdict, verdictJson, wrap } from './render.js';
import { renderBench, renderRun } from './renderCommands.js';
import { runBounds, scriptText } from './scriptInput.js';
import { addWalkOptions, cmdSimulate } from './simulateCommand.js';
import { writeTraceFile } from './traceFile.js';
import { UsageError } from './usageError.js';
import { packageVersion } from './version.js';

/**
 * The commands' own modules are loaded when the command runs (`await import`): a search's process then holds
 * only what it needs (every spec file, the kernel replay, the HTML view and the matrix are not loaded for an
 * `explore`), which is both its memory baseline and the start-up time of every call.
 */
async function writeHtml(out: string | undefined, json: unknown): Promise<void> {
  if (out !== undefined) (await import('./viewCommand.js')).writeHtml(out, json);
}

function print(json: boolean, text: string, obj: unknown): void {
  process.stdout.write(json ? `${JSON.stringify(obj, null, 2)}\n` : `${text}\n`);
}

async function cmdExplore(
  o: RawBoundOptions &
    RawSearchOptions & {
      json?: boolean;
      from?: string;
      invariant?: string;
      continue?: boolean;
      out?: string;
      html?: string;
      coverage?: boolean;
      checkpoint?: string;
      every?: string;
      resume?: string;
    },
): Promise<number> {
  const cfg = boundsFromOptions(o);
  const search = searchFromOptions(o);
  // Going on past violations is the one-thread driver's: more workers would silently be one.
  if (o.continue === true && search.workers > 1) {
    const got = String(o.workers);
    throw new UsageError(
      `--workers: expected 1 with --continue (it goes on past violations on one thread), got ${got}`,
    );
  }
  const name = o.preset ?? 'explore';
  const checkpoint = checkpointOption(o);
  const choose = {
    ...(o.invariant !== undefined ? { invariants: parseInvariantChoice(cfg, o.invariant) } : {}),
    ...(o.continue === true ? { continue: true } : {}),
    ...(checkpoint !== undefined ? { checkpoint } : {}),
  };
  let r: ExploreRun;
  try {
    r = await interactive(name, (control) => exploreConfig(cfg, name, o.from, search, control, choose));
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(e.message);
    if (e instanceof PrefixNotEnabled) {
      throw new UsageError(
        `--from: step ${e.step} ${actionLabel(e.action)}: expected a step enabled where it runs, got ${whyNotEnabled(e.action, e.code)}`,
      );
    }
    throw e;
  }
  const { sys, verdict, figures } = r;
  const goOn = o.continue === true ? continueLines(sys, verdict) : [];
  const text = [
    formatVerdict(sys, verdict, sys.name, o.coverage === true),
    ...goOn,
    ...figures.flatMap((f) => wrap(f, '  ')),
  ].join('\n');
  const json = {
    ...verdictJson(sys, verdict, sys.name),
    ...(o.continue === true ? continueJson(sys, verdict) : {}),
    ...(figures.length > 0 ? { schemeFigures: figures } : {}),
  };
  if (o.out !== undefined) writeTraceFile(o.out, sys, verdict, 'explore');
  print(o.json === true, text, json);
  await writeHtml(o.html, json);
  return exitStatus(verdict);
}

async function cmdRun(
  o: RawBoundOptions & {
    steps?: string;
    file?: string;
    invariant?: string;
    json?: boolean;
    out?: string;
    html?: string;
    coverage?: boolean;
  },
): Promise<number> {
  if ((o.steps === undefined) === (o.file === undefined)) {
    const got = o.steps === undefined ? 'neither' : 'both';
    throw new UsageError(`run: expected exactly one of --steps "<script>" or --file <script file>, got ${got}`);
  }
  const source = o.file ?? '--steps';
  const text = scriptText(o);
  const cfg = boundsFromOptions(runBounds(o, text, source), 'replay'); // a replay may take the kernel's 512-PTE geometry
  const only = o.invariant !== undefined ? parseInvariantChoice(cfg, o.invariant) : undefined;
  const r = runSteps(cfg, text, source, only);
  const d = r.run.replay.disabled;
  if (d !== undefined) {
    throw new UsageError(
      `${source}: step ${d.step} ${actionLabel(d.action)}: expected a step enabled where it runs, got ${whyNotEnabled(d.action, d.code)}`,
    );
  }
  const out = renderRun(r, cfg, o.coverage === true);
  // The steps that ran: all of them, or up to the violation or the failing step.
  const ran = 'trace' in r.verdict ? r.verdict.trace.length : r.indices.length;
  if (o.out !== undefined) writeTraceFile(o.out, r.sys, r.verdict, 'run', r.indices.slice(0, ran));
  print(o.json === true, out.text, out.json);
  await writeHtml(o.html, out.json);
  return exitStatus(r.verdict);
}

async function cmdBench(variant: string | undefined, o: RawSearchOptions & { json?: boolean }): Promise<number> {
  const name = variant ?? 'core-safe-s5';
  const bounds = presetBounds(name, 'variant');
  // A benchmark uses every core unless told otherwise; explore stays on one thread, deterministic.
  const search = searchFromOptions(o, { workers: 'auto' });
  const { benchVariant } = await import('../app/bench.js');
  const b = await interactive(name, (control) => benchVariant(name, bounds, search, control));
  const out = renderBench(name, b);
  print(o.json === true, out.text, out.json);
  return exitStatus(b.verdict);
}

export function buildProgram(run: (status: number) => void): Command {
  const program = new Command('foliocheck')
    .description(
      'Explicit-state model checker for the Linux kernel anonymous-memory rules: folios, PTEs, mapcounts, ' +
        'PG_anon_exclusive, COW and GUP pins. The main job (npm start) is `foliocheck matrix`; without a ' +
        'command, foliocheck runs the regression specs.',
    )
    .version(`foliocheck ${packageVersion()}`, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(see --help)');

  addSearchOptions(
    program
      .command('specs', { isDefault: true })
      .description('run the regression specs and compare each verdict with its expectation')
      .argument(
        '[name|file|dir...]',
        'spec files (docs/spec-files.md) or directories of them; or only the specs with these names, or names beginning so (e.g. cow, core-)',
      )
      .option('--all', 'also the heavy ones (bench-core core-safe-s5 and core-safe)')
      .option('--reporter <name>', 'text (default), tap (TAP 13, as kselftest) or junit (JUnit XML)')
      .option('--quiet', 'text: print only the specs whose expectation is not met, and the summary')
      .option('--kernel', "replay the script specs of the running kernel's era on the kernel too (foliocheck kernel)")
      .option(
        '--decide-with <scheme>',
        'run every spec with this scheme deciding: unmet expectations show what its answers change',
      )
      .option(
        '--symmetry',
        'explore every spec of 2-4 mms with one state per renaming of the mms: its verdict, depth and shortest trace length must be as expected (counts are not compared)',
      )
      .option('--json', 'print one JSON array'),
  ).action(async (name: string[], o) => run(await (await import('./specsCommand.js')).cmdSpecs({ ...o, name })));

  addSearchOptions(
    addBoundOptions(
      program
        .command('explore')
        .description('exhaustive breadth-first search; stops at the shortest counterexample')
        .option('--from <steps>', 'explore from the state these steps reach, e.g. "fault(0,0); fork(0)"')
        .option('--invariant <ids>', 'check only these invariants (comma-separated ids)')
        .option('--continue', "go on past violations: each invariant's shortest counterexample (one thread)")
        .option('--coverage', 'print every coverage count (step kinds fired, branches taken), not only the warnings')
        .option('--out <file>', 'write the trace as an ITF JSON file that `replay` re-checks')
        .option('--json', 'print the whole result as one JSON object (trace in ITF shape)')
        .option('--html <out>', 'also write the trace as a self-contained HTML page (see view)'),
    ),
  );
  addCheckpointOptions(program.commands.find((c) => c.name() === 'explore') as Command);
  program.commands.find((c) => c.name() === 'explore')?.action(async (o) => run(await cmdExplore(o)));

  addBoundOptions(
    program
      .command('run')
      .description(
        'replay a script of steps, checking every invariant after every step (the steps it names are enabled)',
      )
      .option('--steps <script>', 'the steps, e.g. "fault(0,0); fork(0); pin(1,0); wp(0,0)"')
      .option('--file <path>', 'read the steps from a file (one per line or ;-separated, # comments)')
      .option('--no-data', 'do not track page contents (run tracks them unless told not to)')
      .option('--coverage', 'print every coverage count (step kinds fired, branches taken), not only the warnings')
      .option('--invariant <ids>', 'check only these invariants (comma-separated ids)')
      .option('--out <file>', 'write the trace as an ITF JSON file that `replay` re-checks')
      .option('--json', 'print one JSON object (trace in ITF shape)')
      .option('--html <out>', 'also write the trace as a self-contained HTML page (see view)'),
  ).action(async (o) => run(await cmdRun(o)));

  program
    .command('replay')
    .description('re-run a trace file written by --out under its recorded bounds; say whether the verdict recurs')
    .argument('<file>', 'an ITF JSON trace file')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o) => run(await (await import('./replayCommand.js')).cmdReplay(file, o)));

  addSearchOptions(
    program
      .command('bench')
      .description('run a bench-core variant and compare with the published figures (on every core by default)')
      .argument('[variant]', `one of ${PRESET_NAMES.join(', ')} (default core-safe-s5)`)
      .option('--json', 'print one JSON object'),
  ).action(async (variant: string | undefined, o) => run(await cmdBench(variant, o)));

  addWalkOptions(
    program
      .command('simulate')
      .description('random walks (fast-check) that stop at a violation and shrink it to a minimal sequence')
      .option('--seed <n>', 'random seed (printed, so a run can be repeated)')
      .option('--runs <n>', 'number of walks', '1000')
      .option('--steps <n>', 'most steps per walk', '50')
      .option('--coverage', 'print every coverage count (step kinds fired, branches taken), not only the warnings')
      .option('--out <file>', 'write the shrunk trace as an ITF JSON file that `replay` re-checks')
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
  ).action(async (o) => run(await (await import('../kernel/command.js')).cmdKernel(o)));

  program
    .command('view')
    .description('write an ITF trace (a --json output or an ITF file) as one self-contained HTML page')
    .argument('<file>', 'the trace')
    .option('--html <out>', 'the page to write (default: FILE with .html)')
    .action(async (file: string, o) => run((await import('./viewCommand.js')).cmdView(file, o)));

  program
    .command('matrix')
    .description(
      'every era x AnonExclusive granularity x mapcount scheme over the standard mixes, and each scheme deciding: what breaks where',
    )
    .option('--markdown', 'print the table as Markdown')
    .option('--json', 'print one JSON object, with every counterexample')
    .option('--show <key>', "print one cell's counterexample, key era/ae/scheme/property (e.g. 5.9/page/mm-id/pin)")
    .option('--era <list>', `only these eras (${ERAS.join(',')})`)
    .option('--ae <list>', 'only these AnonExclusive granularities (page,folio)')
    .option('--scheme <list>', `only these schemes (${SCHEME_NAMES.join(',')})`)
    .option('--decide-with <list>', 'the decider table: these schemes deciding under 6.15, or none (default: all)')
    .option('--mix <list>', `only these mixes (${MIXES.map((m) => m.name).join(',')})`)
    .option('--max-depth <n>', "explore every mix to this depth instead of the mix's own")
    .option('--max-seconds <s>', 'stop each run after this many seconds (its cells then say so)')
    .option('--workers <n>', 'searches side by side, one per thread, or auto (default: one per core); same table')
    .option(
      '--symmetry [which]',
      'one state per renaming of the mms in every mix (all, the default when bare) or none; without it, in the mixes where it saves time (three-mms); same verdicts',
    )
    .action(async (o) => run(await (await import('./matrixCommand.js')).cmdMatrix(o)));
  return oneLineParserErrors(program);
}

export async function main(argv: readonly string[]): Promise<number> {
  let status = 0;
  const program = buildProgram((s) => {
    status = s;
  });
  try {
    const args = await loadSchemeArgs(argv);
    await withInterrupt(() => program.parseAsync(args));
    return status;
  } catch (e) {
    if (e instanceof ParserError) {
      process.stderr.write(`foliocheck: ${parserErrorLine(e.command, e.error)}\n`);
      return 2;
    }
    if (e instanceof CommanderError) {
      // --help and --version exit 0; any other commander error is a usage error.
      if (e.exitCode === 0) return 0;
      process.stderr.write(`foliocheck: ${parserErrorLine('foliocheck', e)}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof ScriptError || e instanceof SchemeFileError) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    if (e instanceof BoundsRejected) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    // Anything else is a bug in foliocheck, never a finding (1): its own status, with the stack to report.
    process.stderr.write(`foliocheck: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 5;
  }
}
