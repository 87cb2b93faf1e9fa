/**
 * `foliocheck kernel`: a script, or random step sequences, replayed on the model and on the running kernel.
 *
 * Exit status: 0 every step conforms (or differs only by a named allowance), 1 a step diverges, 2 bad input
 * or a step the harness cannot perform (named, with why), 3 SIGINT or SIGTERM stopped the replay (the
 * `incomplete` verdict with the steps compared so far; the THP and swap settings restored), 4 the kernel
 * cannot be observed here (kselftest's KSFT_SKIP), with one line saying what is missing.
 */
import { release } from 'node:os';
import { withInterrupt } from '../cli/interrupt.js';
import { boundsFromOptions, parseCount, parseSeed, type RawBoundOptions } from '../cli/options.js';
import { scriptText } from '../cli/scriptInput.js';
import { UsageError } from '../cli/usageError.js';
import { BoundsRejected } from '../model/config.js';
import { OP_NAMES } from '../model/steps/index.js';
import { parseScript, ScriptError } from '../script.js';
import { HelperError } from './helper.js';
import { KernelUnobservable } from './native.js';
import { randomConformance } from './random.js';
import { type KernelRun, KernelSession, runningEra, StepRefused } from './replay.js';

export interface KernelOptions extends RawBoundOptions {
  steps?: string;
  file?: string;
  json?: boolean;
  random?: boolean;
  runs?: string;
  seed?: string;
  length?: string;
}

/**
 * Steps user space can drive at any geometry; the random runs draw from them. thp and split_pmd need the
 * kernel's geometry (--pt 512) besides; pin (R/O), split_folio and reclaim are refused (steps.ts).
 */
export const USER_SPACE_OPS = [
  'fault',
  'wp',
  'write',
  'read',
  'zap',
  'munmap',
  'mremap',
  'mprotect',
  'dontfork',
  'dofork',
  'fork',
  'exit',
  'pin_rw',
  'unpin',
  'get',
  'put',
  'pageout',
  'cold',
] as const;

/**
 * The model's bounds for a kernel run: cow.c's scaled-down ones unless given (two mms, two page tables of
 * four PTEs, the first mapped, 16 KiB large folios), the running kernel's era, contents tracked; with
 * `readAllocates` (the running kernel's answer, once a session has asked it) whether a read fault maps
 * the zero page.
 */
export function kernelBounds(o: RawBoundOptions, random: boolean, readAllocates?: boolean): RawBoundOptions {
  const era = runningEra();
  if (o.era !== undefined && o.era !== era) {
    throw new UsageError(`--era: expected ${era} (this kernel, ${release()}, follows it), got ${o.era}`);
  }
  const defaults: RawBoundOptions =
    o.preset === undefined
      ? { mms: '2', va: '8', pt: '4', large: '4', slots: '12', pins: '1', map: '4', swap: '2' }
      : {};
  const ops = random ? USER_SPACE_OPS.join(',') : OP_NAMES.join(',');
  if (readAllocates === false && o.readAllocates === true) {
    throw new UsageError('--read-allocates: this kernel maps the zero page on a read fault');
  }
  return { ...defaults, ops, ...o, era, data: true, ...(readAllocates === true ? { readAllocates } : {}) };
}

function formatRun(r: KernelRun, source: string): string {
  const why = r.reason === undefined ? '' : `${r.reason}; `;
  const lines = [`kernel: ${r.verdict.toUpperCase()} (${why}${source}, ${r.steps.length} steps compared)`];
  for (const d of r.initial) lines.push(`  initial state: ${d.what}`);
  for (const s of r.steps) {
    const mark = s.differences.length === 0 ? 'conforms' : 'DIFFERS';
    lines.push(`  ${s.step}. ${s.label}  ${s.syscall}  ${mark}  ${s.ms.toFixed(1)} ms`);
    for (const d of s.differences) lines.push(`       ${d.what}${d.allowance ? ` [allowance: ${d.allowance}]` : ''}`);
  }
  return lines.join('\n');
}

export function cmdKernel(o: KernelOptions): Promise<number> {
  // The signal of the command line's interrupt handler (main.ts), or one of our own when called directly.
  return withInterrupt((signal) => kernelRun(o, signal));
}

async function kernelRun(o: KernelOptions, signal: AbortSignal): Promise<number> {
  let session: KernelSession | undefined;
  try {
    if (o.random !== true && (o.steps === undefined) === (o.file === undefined)) {
      const got = o.steps === undefined ? 'none' : 'both';
      throw new UsageError(
        `kernel: expected exactly one of --steps "<script>", --file <script file> or --random, got ${got}`,
      );
    }
    const use = o.random === true ? 'search' : 'replay';
    // Bad bounds and a script that does not parse are bad input whether or not the kernel can be observed here.
    boundsFromOptions(kernelBounds(o, o.random === true), use);
    const text = o.random === true ? '' : scriptText(o);
    if (o.random !== true) parseScript(text, o.file ?? '--steps');
    session = KernelSession.open(signal);
    const cfg = boundsFromOptions(kernelBounds(o, o.random === true, session.readAllocates), use);
    if (o.random === true) {
      const runs = o.runs === undefined ? 100 : parseCount('runs', o.runs);
      const length = o.length === undefined ? 12 : parseCount('length', o.length);
      const seed = o.seed === undefined ? Date.now() % 2 ** 31 : parseSeed(o.seed);
      const r = await randomConformance(session, cfg, { runs, length, seed });
      const text = r.counterexample
        ? `kernel --random: DIVERGES after ${r.runs} sequences (seed ${seed}); minimal:\n` +
          `  foliocheck kernel --steps "${r.counterexample.script}"\n${formatRun(r.counterexample.run, 'shrunk')}`
        : `kernel --random: ${r.interrupted ? 'INCOMPLETE (interrupted): ' : ''}${r.runs} sequences, ` +
          `${r.steps} steps conform (seed ${seed}), ${r.allowances} stopped at an allowance; ` +
          `${(r.ms / Math.max(1, r.steps)).toFixed(1)} ms per step`;
      const stop = r.interrupted ? { verdict: 'incomplete', reason: 'interrupted' } : {};
      process.stdout.write(`${o.json ? JSON.stringify({ ...stop, ...r, seed }, null, 2) : text}\n`);
      return r.counterexample ? 1 : r.interrupted ? 3 : 0;
    }
    const source = o.file ?? '--steps';
    const r = await session.run(cfg, text, source);
    process.stdout.write(
      `${o.json ? JSON.stringify({ ...r, bounds: cfg.bounds() }, null, 2) : formatRun(r, source)}\n`,
    );
    return r.verdict === 'diverges' ? 1 : r.verdict === 'incomplete' ? 3 : 0;
  } catch (e) {
    if (e instanceof KernelUnobservable) {
      process.stdout.write(`SKIP: the kernel cannot be observed here: ${e.message}\n`);
      return 4;
    }
    if (e instanceof StepRefused || e instanceof HelperError) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof ScriptError || e instanceof BoundsRejected) {
      process.stderr.write(`foliocheck: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    session?.close();
  }
}
