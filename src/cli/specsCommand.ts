/**
 * `foliocheck specs [name|file|dir...]`: the project's regression specs selected by name, and spec files
 * (docs/spec-files.md) given by path, run and compared with their expectations, reported as text, TAP or
 * JUnit. When stderr is not a terminal (CI), a progress line every 10 s says how far the run is.
 */

import { runSpecSearch, selectSpecs, specGroups } from '../app/specs.js';
import type { Progress } from '../checker/limits.js';
import { exitStatus } from '../checker/verdict.js';
import { cmdSpecsKernel } from '../kernel/specs.js';
import { MAX_SYMMETRIC_MMS } from '../model/bounds.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import type { Spec, SpecResult } from '../spec.js';
import { isPath, loadSpecPaths, loadSpecSchemes, SpecFileError } from '../specs/load.js';
import { interactive } from './interactive.js';
import { withInterrupt } from './interrupt.js';
import { type RawSearchOptions, searchFromOptions } from './options.js';
import { specJson } from './renderCommands.js';
import { REPORTERS, type ReporterName, type Skipped, specReporter } from './specReporters.js';
import { UsageError } from './usageError.js';

export type SpecsOptions = RawSearchOptions & {
  all?: boolean;
  json?: boolean;
  quiet?: boolean;
  reporter?: string;
  name?: string[];
  /** Replay the selected script specs of the running kernel's era on the kernel (kernel/specs.ts). */
  kernel?: boolean;
  /** Run every selected spec with this scheme deciding (decide.ts), against the spec's own expectation. */
  decideWith?: string;
  /** Explore every spec of 2 to MAX_SYMMETRIC_MMS mms with one state per renaming of the mms. */
  symmetry?: boolean;
};

/**
 * With `on`, the searching specs of 2..MAX_SYMMETRIC_MMS mms explore one state per renaming of the mms
 * (state/symmetry.ts), each named so (`... @symmetry`): their verdict, depth, invariant and shortest trace
 * length must be as expected; their state and edge counts and figures, of classes of states now, are not
 * compared.
 */
export function symmetric(specs: readonly Spec[], on: boolean | undefined): Spec[] {
  if (on !== true) return [...specs];
  return specs.map((s) => {
    if (s.script !== undefined || s.bounds.mms < 2 || s.bounds.mms > MAX_SYMMETRIC_MMS) return s;
    const e = s.expect;
    const expect =
      e.verdict === 'success' ? { verdict: e.verdict, ...(e.depth !== undefined ? { depth: e.depth } : {}) } : e;
    return { ...s, name: `${s.name} @symmetry`, bounds: { ...s.bounds, symmetry: true }, expect };
  });
}

/** The specs with `scheme` deciding, each named so (`... @tuple-scan`). */
export function decidedBy(specs: readonly Spec[], scheme: string | undefined): Spec[] {
  if (scheme === undefined) return [...specs];
  if (!SCHEME_NAMES.includes(scheme)) {
    throw new UsageError(`--decide-with: expected one of ${SCHEME_NAMES.join(', ')}, got ${JSON.stringify(scheme)}`);
  }
  return specs.map((s) => ({ ...s, name: `${s.name} @${scheme}`, bounds: { ...s.bounds, decider: scheme } }));
}

/** Every how many milliseconds the progress line is written when stderr is not a terminal. */
export const PROGRESS_EVERY_MS = 10_000;

/** The specs the arguments select: spec files and directories by path, the project's specs by name. */
export function specsToRun(args: readonly string[], all: boolean): { run: Spec[]; skipped: Skipped[] } {
  // A name that selects a spec stays a name even where a file of that name exists (`specs history`).
  const asPath = (a: string): boolean => isPath(a) && selectSpecs([a], true).unknown.length > 0;
  const paths = args.filter(asPath);
  const names = args.filter((a) => !asPath(a));
  let fromFiles: Spec[] = [];
  try {
    fromFiles = loadSpecPaths(paths);
  } catch (e) {
    // One problem a line, each as foliocheck's messages begin.
    if (e instanceof SpecFileError) throw new UsageError(e.message.replace(/\n/g, '\nfoliocheck: '));
    throw e;
  }
  if (paths.length > 0 && names.length === 0) return { run: fromFiles, skipped: [] };
  const { specs, unknown } = selectSpecs(names, all);
  if (unknown.length > 0) {
    const groups = specGroups().join(', ');
    throw new UsageError(
      `spec: expected a spec file, a directory of them, a spec name or its beginning (${groups}, ...), ` +
        `got ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  const skipped =
    args.length === 0 && !all
      ? selectSpecs([], true)
          .specs.filter((s) => s.heavy === true)
          .map((spec) => ({ spec, why: 'heavy: --all runs it' }))
      : [];
  return { run: [...fromFiles, ...specs], skipped };
}

/**
 * Writes `line()` to `stream` every `everyMs` while a run goes on, when the stream is not a terminal (a
 * terminal has the progress line instead); returns the function that stops it.
 */
export function progressTicker(
  stream: { readonly isTTY?: boolean; write(s: string): unknown },
  everyMs: number,
  line: () => string,
): () => void {
  if (stream.isTTY === true) return () => {};
  const timer = setInterval(() => stream.write(`${line()}\n`), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function cmdSpecs(o: SpecsOptions, stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  const search = searchFromOptions(o);
  const reporterName = o.reporter ?? 'text';
  if (!(REPORTERS as readonly string[]).includes(reporterName)) {
    throw new UsageError(`--reporter: expected one of ${REPORTERS.join(', ')}, got ${JSON.stringify(reporterName)}`);
  }
  // Scheme files that spec files name (bounds.schemes) are imported first: parsing the files is sync.
  await loadSpecSchemes((o.name ?? []).filter(isPath));
  const selected = specsToRun(o.name ?? [], o.all === true);
  const run = symmetric(decidedBy(selected.run, o.decideWith), o.symmetry);
  const skipped = selected.skipped;
  if (o.kernel === true) return cmdSpecsKernel(run, o.json === true);
  const out = (s: string): void => {
    process.stdout.write(s);
  };
  const reporter = o.json === true ? undefined : specReporter(reporterName as ReporterName, out, o.quiet === true);
  reporter?.start(run, skipped);
  const results: SpecResult[] = [];
  // CI: no terminal for the progress line, so a line now and then that a log keeps.
  let current = { name: '', since: performance.now(), progress: undefined as Progress | undefined };
  const stop = progressTicker(stderr, PROGRESS_EVERY_MS, () => {
    const secs = ((performance.now() - current.since) / 1000).toFixed(0);
    const states = current.progress !== undefined ? `, ${current.progress.states} states` : '';
    return `foliocheck specs: ${results.length}/${run.length} done; running ${current.name} (${secs} s${states})`;
  });
  let interrupted = false;
  try {
    // One stop for the whole run: the first Ctrl-C ends the spec in progress and skips the rest.
    interrupted = await withInterrupt(async (signal) => {
      for (const spec of run) {
        if (signal.aborted) break;
        current = { name: spec.name, since: performance.now(), progress: undefined };
        const r = await interactive(
          spec.name,
          (control) => runSpecSearch(spec, search, control),
          signal,
          (p) => {
            current.progress = p;
          },
        );
        results.push(r);
        reporter?.result(r);
      }
      return signal.aborted;
    });
  } finally {
    stop();
  }
  if (interrupted) {
    reporter?.interrupted(results.length, run.length);
    if (o.json === true) out(`${JSON.stringify(results.map(specJson), null, 2)}\n`);
    return 3;
  }
  if (reporter !== undefined) reporter.end(results);
  else out(`${JSON.stringify(results.map(specJson), null, 2)}\n`);
  return exitStatus(results.map((r) => r.verdict));
}
