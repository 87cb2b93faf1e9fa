/**
 * Bounds and search options from the command line, validated with zod at the boundary.
 */

import type { Command } from 'commander';
import { z } from 'zod';
import {
  checkSearch,
  SEARCH_FIELDS,
  type SearchInput,
  type SearchOptions,
  searchOptions,
} from '../app/searchOptions.js';
import { BOUND_FIELDS, type BoundsUse, checkBounds, flagOf, type OptionField, unrunnable } from '../model/bounds.js';
import type { Bounds, Config, FieldError } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { PRESET_NAMES, PRESETS, type PresetName } from '../model/presets.js';
import { OP_NAMES } from '../model/steps/index.js';
import { UsageError } from './usageError.js';

/** Raw option values as commander gives them (strings, or booleans for flags), by bound name. */
export type RawBoundOptions = { preset?: string; scheme?: string; decideWith?: string } & {
  [K in keyof Bounds]?: string | boolean;
};

/** Adds each field as an option, with its help text, accepted values and default. */
function addFieldOptions(cmd: Command, fields: readonly OptionField[]): Command {
  for (const f of fields) {
    const words = f.words !== undefined ? Object.keys(f.words) : undefined;
    const values = f.values !== undefined ? `: ${f.values.join(', ')}` : '';
    const wordsHelp = words !== undefined ? ` (or --${flagOf(f)} ${words.join('|')})` : '';
    const help = `${f.help}${values}${wordsHelp}${f.defaultText !== undefined ? ` (default ${f.defaultText})` : ''}`;
    const text = f.syntax !== 'flag' ? ` ${f.placeholder ?? '<n>'}` : words !== undefined ? ' [word]' : '';
    cmd.option(`--${flagOf(f)}${text}`, help);
  }
  return cmd;
}

/** Adds every bound of the schema as an option (`--preset` first). */
export function addBoundOptions(cmd: Command): Command {
  cmd.option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')}); flags override it`);
  addFieldOptions(cmd, BOUND_FIELDS).option('--no-tuple', "drop tuple-naive from the preset's schemes");
  // Both set one value, the last given winning: a contradiction, refused.
  const seen = new Set<string>();
  for (const flag of ['tuple', 'no-tuple']) {
    cmd.on(`option:${flag}`, () => {
      seen.add(flag);
      if (seen.size > 1) throw new UsageError('--no-tuple: expected either --tuple or --no-tuple, got both');
    });
  }
  return cmd;
}

/** Adds every search option of the schema, or only those of `only`. */
export function addSearchOptions(cmd: Command, only?: readonly (keyof SearchInput)[]): Command {
  return addFieldOptions(cmd, only === undefined ? SEARCH_FIELDS : SEARCH_FIELDS.filter((f) => only.includes(f.key)));
}

/** The value a field's command-line text stands for, before the schema checks it. */
function fromText(f: OptionField, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  // An empty list or an empty item is left as the text, which the schema refuses (never silently dropped);
  // the empty list is said on purpose as `none` (what the printed bounds line writes).
  const items = (): string[] | string => {
    if (raw.trim() === 'none') return [];
    const xs = raw.split(',').map((x) => x.trim());
    return xs.includes('') ? raw : xs;
  };
  switch (f.syntax) {
    case 'int':
      return /^\d+$/.test(raw) ? Number(raw) : raw;
    case 'number':
      return /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    case 'int-list': {
      const xs = items();
      return typeof xs === 'string' ? xs : xs.map((x) => (/^\d+$/.test(x) ? Number(x) : x));
    }
    case 'list':
      return items();
    case 'word':
      return raw;
    case 'flag': {
      // Only a flag with words takes a value (commander gives the others true or false).
      const words = f.words ?? {};
      if (Object.hasOwn(words, raw)) return words[raw];
      const named = Object.keys(words).join(' or ');
      throw new UsageError(`--${flagOf(f)}: expected ${named} (or nothing), got ${JSON.stringify(raw)}`);
    }
    default: {
      const never: never = f.syntax;
      return never;
    }
  }
}

export function presetBounds(name: string, flag = 'preset'): Bounds {
  if (!(PRESET_NAMES as string[]).includes(name)) {
    throw new UsageError(`--${flag}: expected one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return PRESETS[name as PresetName];
}

/**
 * Bounds from a preset (bench-core's core-safe by default) with explicit flags overriding each of its fields,
 * checked against the bounds schema; an error names the flag, what was expected and what was given.
 */
export function boundsFromOptions(o: RawBoundOptions, use: BoundsUse = 'search'): Config {
  const merged: Record<string, unknown> = { ...presetBounds(o.preset ?? 'core-safe') };
  // A policy given on the command line stands for the era, granularity and decider: the preset's give way.
  if (o.policy !== undefined) for (const key of ['era', 'ae', 'decider']) delete merged[key];
  for (const f of BOUND_FIELDS) {
    // Commander keeps an option under its flag in camel case (`--decide-with`: `decideWith`).
    const raw = o[flagOf(f).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof RawBoundOptions];
    if (raw === undefined || (f.key === 'tuple' && raw === false)) continue;
    merged[f.key] = fromText(f, raw);
  }
  // `--ops all`: every step (as spec files write it).
  if (o.ops === 'all') merged.ops = [...OP_NAMES];
  // --no-tuple drops tuple-naive however the preset selected it.
  if (o.tuple === false) {
    merged.tuple = false;
    if (Array.isArray(merged.schemes)) merged.schemes = merged.schemes.filter((s) => s !== 'tuple-naive');
  }
  refuse(checkBounds(merged, use), BOUND_FIELDS);
  refuse(userUnrunnable(merged as unknown as Bounds, o), BOUND_FIELDS);
  return makeConfig(merged as unknown as Bounds, use);
}

/**
 * `unrunnable` bounds the user chose: a preset's own (core-safe-p0's pin with no pin entry, as bench-core
 * publishes it) stands unless a flag changed the field or the operations.
 */
function userUnrunnable(b: Bounds, o: RawBoundOptions): FieldError[] {
  const preset = o.preset === undefined ? [] : unrunnable(presetBounds(o.preset));
  const changed = (field: string): boolean => o[field as keyof Bounds] !== undefined || o.ops !== undefined;
  return unrunnable(b).filter(
    (e) => changed(e.field) || !preset.some((p) => p.field === e.field && p.expected === e.expected),
  );
}

/** Field errors as one usage error, each naming its flag. */
function refuse(errors: readonly FieldError[], fields: readonly OptionField[]): void {
  if (errors.length === 0) return;
  const flag = (field: string): string => {
    const f = fields.find((x) => x.key === field);
    return f === undefined ? field : flagOf(f);
  };
  throw new UsageError(errors.map((e) => `--${flag(e.field)}: expected ${e.expected}, got ${e.got}`).join('; '));
}

/** Raw search option values as commander gives them. */
export type RawSearchOptions = { [K in keyof SearchInput]?: string };

/** Search options from the command line, checked against the search schema; `defaults` as a command sets them. */
export function searchFromOptions(o: RawSearchOptions, defaults: SearchInput = {}): SearchOptions {
  const given: Record<string, unknown> = {};
  for (const f of SEARCH_FIELDS) {
    const raw = o[f.key];
    if (raw !== undefined) given[f.key] = f.key === 'workers' && raw === 'auto' ? raw : fromText(f, raw);
  }
  refuse(checkSearch(given), SEARCH_FIELDS);
  return searchOptions(given as SearchInput, defaults);
}

/** Parses one option value; throws a UsageError naming the option, what was expected and what was given. */
function parseOption<T>(name: string, schema: z.ZodType<T>, raw: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError(`--${name}: ${issue?.message ?? 'invalid value'}, got ${JSON.stringify(raw)}`);
}

const count = z
  .string()
  .regex(/^\d+$/, 'expected a positive integer')
  .transform(Number)
  .pipe(z.number().int().positive('expected a positive integer'));

export function parseCount(name: string, raw: string): number {
  return parseOption(name, count, raw);
}

export function parseSeed(raw: string): number {
  return parseOption(
    'seed',
    z
      .string()
      .regex(/^-?\d+$/, 'expected an integer')
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(-(2 ** 31))
          .max(2 ** 31 - 1),
      ),
    raw,
  );
}
