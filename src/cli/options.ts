/**
 * Bounds and search options from the command line, validated with zod at the boundary.
 */

import type { Command } from 'commander';
import { z } from 'zod';
import { defaultWorkers } from '../checker/parallel.js';
import { BOUND_FIELDS, type BoundField, checkBounds } from '../model/bounds.js';
import type { Bounds, Config } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { PRESET_NAMES, PRESETS, type PresetName } from '../model/presets.js';
import { UsageError } from './usageError.js';

/** Raw option values as commander gives them (strings, or booleans for flags), by bound name. */
export type RawBoundOptions = { preset?: string; scheme?: string } & { [K in keyof Bounds]?: string | boolean };

/** The CLI spelling of a bound: `--scheme` for `schemes`, else the name. */
const flagOf = (f: BoundField): string => (f.key === 'schemes' ? 'scheme' : f.key);

/** Adds every bound of the schema as an option, with its help text and default (`--preset` first). */
export function addBoundOptions(cmd: Command): Command {
  cmd.option('--preset <name>', `start from a preset (${PRESET_NAMES.join(', ')}); flags override it`);
  for (const f of BOUND_FIELDS) {
    const values = f.values !== undefined ? `: ${f.values.join(', ')}` : '';
    const help = `${f.help}${values}${f.defaultText !== undefined ? ` (default ${f.defaultText})` : ''}`;
    if (f.syntax === 'flag') {
      cmd.option(`--${flagOf(f)}`, help);
      continue;
    }
    cmd.option(`--${flagOf(f)} ${f.placeholder ?? '<n>'}`, help);
  }
  return cmd.option('--no-tuple', "drop tuple-naive from the preset's schemes");
}

/** The value a field's command-line text stands for, before the schema checks it. */
function fromText(f: BoundField, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  const items = (): string[] =>
    raw
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  switch (f.syntax) {
    case 'int':
      return /^\d+$/.test(raw) ? Number(raw) : raw;
    case 'int-list':
      return items().map((x) => (/^\d+$/.test(x) ? Number(x) : x));
    case 'list':
      return items();
    case 'word':
    case 'flag':
      return raw;
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
export function boundsFromOptions(o: RawBoundOptions): Config {
  const merged: Record<string, unknown> = { ...presetBounds(o.preset ?? 'core-safe') };
  for (const f of BOUND_FIELDS) {
    const raw = f.key === 'schemes' ? o.scheme : o[f.key];
    if (raw === undefined || (f.key === 'tuple' && raw === false)) continue;
    merged[f.key] = fromText(f, raw);
  }
  // --no-tuple drops tuple-naive however the preset selected it.
  if (o.tuple === false) {
    merged.tuple = false;
    if (Array.isArray(merged.schemes)) merged.schemes = merged.schemes.filter((s) => s !== 'tuple-naive');
  }
  const errors = checkBounds(merged);
  if (errors.length > 0) {
    const flag = (field: string): string => (field === 'schemes' ? 'scheme' : field);
    throw new UsageError(errors.map((e) => `--${flag(e.field)}: expected ${e.expected}, got ${e.got}`).join('\n'));
  }
  return makeConfig(merged as unknown as Bounds);
}

/** Parses one option value; throws a UsageError naming the option, what was expected and what was given. */
function parseOption<T>(name: string, schema: z.ZodType<T>, raw: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError(`--${name}: ${issue?.message ?? 'invalid value'}, got ${JSON.stringify(raw)}`);
}

export interface RawSearchOptions {
  store?: string;
  maxDepth?: string;
  maxStates?: string;
  maxSeconds?: string;
  maxMemory?: string;
  workers?: string;
}

export interface SearchOptions {
  store: 'exact' | 'fingerprint';
  workers: number;
  maxDepth?: number;
  maxStates?: number;
  maxSeconds?: number;
  maxMemoryBytes?: number;
}

const positive = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a positive number')
  .transform(Number)
  .pipe(z.number().positive('expected a positive number'));
const count = z
  .string()
  .regex(/^\d+$/, 'expected a positive integer')
  .transform(Number)
  .pipe(z.number().int().positive('expected a positive integer'));

export function searchFromOptions(o: RawSearchOptions): SearchOptions {
  const store = o.store ?? 'exact';
  if (store !== 'exact' && store !== 'fingerprint') {
    throw new UsageError(`--store: expected exact or fingerprint, got ${JSON.stringify(store)}`);
  }
  const workers =
    o.workers === undefined ? 1 : o.workers === 'auto' ? defaultWorkers() : parseOption('workers', count, o.workers);
  const out: SearchOptions = { store, workers };
  if (o.maxDepth !== undefined) out.maxDepth = parseOption('max-depth', count, o.maxDepth);
  if (o.maxStates !== undefined) out.maxStates = parseOption('max-states', count, o.maxStates);
  if (o.maxSeconds !== undefined) out.maxSeconds = parseOption('max-seconds', positive, o.maxSeconds);
  if (o.maxMemory !== undefined) out.maxMemoryBytes = parseOption('max-memory', count, o.maxMemory) * 2 ** 20;
  return out;
}

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
