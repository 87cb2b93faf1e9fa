/**
 * Scripts: a sequence of steps as a kernel developer writes them down, `write(0,0); fork(0); pin(1,0)`.
 *
 * A script names actions of the model's vocabulary (`actions.ts`); each step is looked up among the action
 * instances of the configuration, so a step outside the bounds or of a disabled operation is an input error
 * that names the step, never a silent no-op.
 */
import { type Action, stepOf } from './model/actions.js';
import { type ActionError, OP_NAMES, STEPS, type Step } from './model/steps/index.js';
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

// One way to match each text (no two quantifiers over the same characters), so a long line costs linear time.
const STEP = /^([a-z_]+)\s*\(([^)]*)\)$/;

/** A step's text in a message: long ones cut, so an error stays one short line. */
const shown = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);

/**
 * The words scripts write for numbers (protections, pin kinds: `ro` 0, `rw` 1), from the steps' parameters
 * and aliases: a word is its index in the step's list.
 */
const WORDS: ReadonlyMap<string, number> = (() => {
  const words = new Map<string, number>();
  const add = (list: readonly string[] | undefined, step: Step): void => {
    list?.forEach((w, v) => {
      if (words.has(w) && words.get(w) !== v) throw new Error(`step ${step.name}: word ${w} means two numbers`);
      words.set(w, v);
    });
  };
  for (const step of STEPS) {
    for (const p of step.params) add(step.words[p], step);
    add(step.alias?.words, step);
  }
  return words;
})();
const WORD_LIST = [...WORDS.keys()].join(', ');

/** Splits and parses a script; `source` names where it came from in messages (`--steps`, a file). */
export function parseScript(text: string, source: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const parts = text
    .split(/[;\n]/)
    .map((s) => s.replace(/#.*$/, '').trim())
    .filter((s) => s !== '');
  if (parts.length === 0) {
    throw new ScriptError(`${source}: expected at least one step, e.g. fault(0,0), got none`);
  }
  parts.forEach((part, i) => {
    const where = `${source}: step ${i + 1} ${shown(part)}`;
    const m = STEP.exec(part);
    if (m === null) throw new ScriptError(`${where}: expected name(arg, ...), e.g. fault(0,1)`);
    const [, name = '', rawArgs = ''] = m;
    const written = rawArgs.trim() === '' ? [] : rawArgs.split(',').map((a) => a.trim());
    const args = written.map((a, k) => {
      if (a === '') throw new ScriptError(`${where}: expected an argument ${k + 1}, got nothing`);
      // Protections and pin kinds are words in scripts, numbers in actions.
      const word = WORDS.get(a);
      if (word !== undefined) {
        const at = wordsAt(name, written.length, k);
        if (at !== undefined && !at.includes(a)) {
          throw new ScriptError(`${where}: expected ${at.length > 0 ? at.join(' or ') : 'an integer'}, got ${a}`);
        }
        return word;
      }
      if (!/^\d+$/.test(a))
        throw new ScriptError(`${where}: expected integers (or ${WORD_LIST}), got ${shown(a).slice(1, -1)}`);
      return Number(a);
    });
    steps.push({ text: part, name, args });
  });
  return steps;
}

/**
 * The words argument `k` of a step `name` with `arity` arguments may be, or undefined when no step is
 * written so (resolveScript then says what is).
 */
function wordsAt(name: string, arity: number, k: number): readonly string[] | undefined {
  const fits = SPELLINGS.get(name)?.filter((s) => s.params.length === arity);
  if (fits === undefined || fits.length === 0) return undefined;
  return fits.flatMap((s) => {
    const param = s.step.params[k];
    if (param !== undefined) return s.step.words[param] ?? [];
    return s.value !== undefined ? (s.step.alias?.words ?? []) : [];
  });
}

/** One way scripts write a step: `name(params...)`, then the alias's word when written under its alias. */
interface Spelling {
  readonly step: Step;
  readonly name: string;
  readonly params: readonly string[];
  /** The alias's value, the last argument (`pin(m,a,rw)`: 1). */
  readonly value?: number;
}

/** Every spelling of every step, by the name scripts write: `pin` is pin, `pin(m,a,ro)` and `pin(m,a,rw)`. */
const SPELLINGS: ReadonlyMap<string, readonly Spelling[]> = (() => {
  const byName = new Map<string, Spelling[]>();
  const add = (s: Spelling): void => {
    byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  };
  for (const step of STEPS) {
    add({ step, name: step.name, params: step.params });
    const alias = step.alias;
    if (alias !== undefined) {
      add({ step, name: alias.name, params: [...step.params, alias.words.join('|')], value: alias.value });
    }
  }
  return byName;
})();

/** An action as `name(arg,...)` with its parameters in the step's order, all numbers. */
function actionKey(a: Action): string {
  const fields = a as unknown as Record<string, number>;
  return `${a.kind}(${stepOf(a)
    .params.map((p) => fields[p])
    .join(',')})`;
}

/** The action instance index of each step in `sys`, or a UsageError naming the step and why. */
export function resolveScript(sys: KernelSystem, steps: readonly ScriptStep[], source: string): number[] {
  const byLabel = new Map<string, number>();
  sys.actions.forEach((a, i) => {
    byLabel.set(actionKey(a), i);
  });
  return steps.map((parsed, i) => {
    const where = `${source}: step ${i + 1} ${shown(parsed.text)}`;
    const spellings = SPELLINGS.get(parsed.name);
    if (spellings === undefined) {
      throw new ScriptError(`${where}: expected one of ${OP_NAMES.join(', ')}, got ${parsed.name}`);
    }
    const fits = spellings.filter((s) => s.params.length === parsed.args.length);
    const spelling = fits.find((s) => s.value === undefined || s.value === parsed.args.at(-1)) ?? fits[0];
    if (spelling === undefined) {
      const expected = spellings.map((s) => `${s.name}(${s.params.join(', ')})`).join(' or ');
      throw new ScriptError(`${where}: expected ${expected}, got ${parsed.args.length} arguments`);
    }
    const { step } = spelling;
    const args = spelling.value === undefined ? parsed.args : parsed.args.slice(0, -1);
    const fitsAlias = spelling.value === undefined || spelling.value === parsed.args.at(-1);
    const index = fitsAlias ? byLabel.get(`${step.name}(${args.join(',')})`) : undefined;
    if (index === undefined) {
      const params = step.params;
      throw new ScriptError(
        sys.cfg.has(step.name)
          ? `${where}: outside the bounds: expected ${params.join(', ')} naming an mm < ${sys.cfg.mms}, an ` +
              `address < ${sys.cfg.va}, a zap size of ${sys.cfg.zapSizes.join('/')} aligned to it, a pin < ` +
              `${sys.cfg.pins}, got ${parsed.args.join(',')}`
          : `${where}: ${step.name} is not among the enabled operations: expected one of --ops ` +
              `${sys.cfg.ops.join(',')}, got ${step.name}`,
      );
    }
    return index;
  });
}

/**
 * The step kinds a parsed script names (`pin(m,a,rw)` is pin_rw), in the registry's order; unknown names
 * and wrong arities are left to `resolveScript` to report.
 */
export function scriptStepKinds(steps: readonly ScriptStep[]): string[] {
  const named = new Set<string>();
  for (const parsed of steps) {
    const fits = SPELLINGS.get(parsed.name)?.filter((s) => s.params.length === parsed.args.length) ?? [];
    const spelling = fits.find((s) => s.value === undefined || s.value === parsed.args.at(-1)) ?? fits[0];
    if (spelling !== undefined) named.add(spelling.step.name);
  }
  return STEPS.map((s) => s.name).filter((n) => named.has(n));
}

/** Why a step was not enabled, in words: its kernel error code read for that step. */
export function whyNotEnabled(a: Action, code: string): string {
  return `${code}: ${stepOf(a).whyNot[code as ActionError] ?? 'not enabled'}`;
}
