/**
 * Scripts: a sequence of steps as a kernel developer writes them down, `write(0,0); fork(0); pin(1,0)`.
 *
 * A script names actions of the model's vocabulary (`actions.ts`); each step is looked up among the action
 * instances of the configuration, so a step outside the bounds or of a disabled operation is an input error
 * that names the step, never a silent no-op.
 */
import type { Action } from './model/actions.js';
import type { KernelSystem } from './spec.js';

/** A script that does not parse or does not fit the bounds: names the source, the step and why. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

/** One parsed step: its text (for messages), name and integer arguments. */
export interface ScriptStep {
  readonly text: string;
  readonly name: string;
  readonly args: readonly number[];
}

const STEP = /^([a-z_]+)\s*\(\s*([^)]*)\)$/;

/** Splits and parses a script; `source` names where it came from in messages (`--steps`, a file). */
export function parseScript(text: string, source: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const parts = text
    .split(/[;\n]/)
    .map((s) => s.replace(/#.*$/, '').trim())
    .filter((s) => s !== '');
  parts.forEach((part, i) => {
    const m = STEP.exec(part);
    if (m === null) {
      throw new ScriptError(
        `${source}: step ${i + 1} ${JSON.stringify(part)}: expected name(arg, ...), e.g. fault(0,1)`,
      );
    }
    const [, name = '', rawArgs = ''] = m;
    const args = rawArgs
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
      .map((a) => {
        // Protections and pin kinds are words in scripts, numbers in actions.
        if (a === 'ro') return 0;
        if (a === 'rw') return 1;
        if (!/^\d+$/.test(a)) {
          throw new ScriptError(
            `${source}: step ${i + 1} ${JSON.stringify(part)}: expected integers (or ro, rw), got ${a}`,
          );
        }
        return Number(a);
      });
    steps.push({ text: part, name, args });
  });
  return steps;
}

/** The parameters each step name takes, in order, as `actionLabel` prints them. */
const PARAMS: Record<Action['kind'], readonly string[]> = {
  fault: ['mm', 'addr'],
  zap: ['mm', 'addr', 'nr'],
  fork: ['mm'],
  wp: ['mm', 'addr'],
  pin: ['mm', 'addr'],
  unpin: ['pin'],
  write: ['mm', 'addr'],
  read: ['mm', 'addr'],
  exit: ['mm'],
  munmap: ['mm', 'addr', 'nr'],
  mprotect: ['mm', 'addr', 'nr', 'rw'],
  dontfork: ['mm', 'addr', 'nr'],
  dofork: ['mm', 'addr', 'nr'],
  mremap: ['mm', 'addr', 'nr', 'to'],
  thp: ['mm', 'addr'],
  split_pmd: ['mm', 'addr'],
  split_folio: ['mm', 'addr'],
  pin_rw: ['mm', 'addr'],
  pageout: ['mm', 'addr', 'nr'],
};

/** An action as `name(arg,...)` with its parameters in PARAMS order, all numbers. */
function actionKey(a: Action): string {
  const fields = a as unknown as Record<string, number>;
  return `${a.kind}(${PARAMS[a.kind].map((p) => fields[p]).join(',')})`;
}

/** The action instance index of each step in `sys`, or a UsageError naming the step and why. */
export function resolveScript(sys: KernelSystem, steps: readonly ScriptStep[], source: string): number[] {
  const byLabel = new Map<string, number>();
  sys.actions.forEach((a, i) => {
    byLabel.set(actionKey(a), i);
  });
  return steps.map((parsed, i) => {
    let step = parsed;
    const where = `${source}: step ${i + 1} ${JSON.stringify(step.text)}`;
    // pin(m,a,ro) is the R/O pin, pin(m,a,rw) the R/W one (FOLL_WRITE).
    if (step.name === 'pin' && step.args.length === 3) {
      step = { ...step, name: step.args[2] === 1 ? 'pin_rw' : 'pin', args: step.args.slice(0, 2) };
    }
    const params = PARAMS[step.name as Action['kind']];
    if (params === undefined) {
      throw new ScriptError(`${where}: expected one of ${Object.keys(PARAMS).join(', ')}, got ${step.name}`);
    }
    if (step.args.length !== params.length) {
      throw new ScriptError(`${where}: expected ${step.name}(${params.join(', ')}), got ${step.args.length} arguments`);
    }
    const label = `${step.name}(${step.args.join(',')})`;
    const index = byLabel.get(label);
    if (index === undefined) {
      const enabled = sys.cfg.has(step.name as Action['kind']);
      throw new ScriptError(
        enabled
          ? `${where}: outside the bounds (${params.join(', ')} must name an mm < ${sys.cfg.mms}, an address < ` +
              `${sys.cfg.va}, a zap size of ${sys.cfg.zapSizes.join('/')} aligned to it, a pin < ${sys.cfg.pins})`
          : `${where}: ${step.name} is not among the enabled operations (--ops ${sys.cfg.ops.join(',')})`,
      );
    }
    return index;
  });
}

/** Why a step was not enabled, in words: its kernel error code read for that operation. */
export function whyNotEnabled(a: Action, code: string): string {
  const words: Record<string, string> = {
    EFAULT: 'the mm does not exist or the address is not mapped',
    EEXIST:
      a.kind === 'fault'
        ? 'the PTE is not none (fault is a write fault on an empty PTE; wp handles a write-protected one)'
        : 'a live pin already names this address',
    ENOENT: 'no PTE in the range is present, so nothing would change',
    ENOMEM:
      a.kind === 'pin'
        ? 'every pin entry is in use, or the unshare needs a copy and no folio slot is free'
        : 'no folio slot is free',
    EAGAIN:
      a.kind === 'split_folio' ? 'the folio may be pinned (can_split_folio())' : 'every mm already exists (--mms)',
    NOP: 'the access needs no fault and changes nothing',
    EINVAL:
      a.kind === 'wp'
        ? 'the PTE is not present or already writable (wp is a write fault on a write-protected PTE)'
        : a.kind === 'unpin'
          ? 'that pin entry is empty'
          : a.kind === 'split_folio'
            ? 'the folio mapped there is small'
            : a.kind === 'split_pmd'
              ? 'the PMD is not huge'
              : 'not applicable here',
  };
  return `${code}: ${words[code] ?? 'not enabled'}`;
}
