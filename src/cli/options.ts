/**
 * Bounds and search options from the command line, validated with zod at the boundary.
 */
import { z } from 'zod';
import { defaultWorkers } from '../checker/parallel.js';
import type { Config } from '../model/config.js';
import { AE_GRANULARITIES, type AeGranularity, type Bounds, checkBounds, LIMITS } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { ERAS, type Era, isEra } from '../model/eras.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import { PRESET_NAMES, PRESETS, type PresetName } from '../model/presets.js';
import { OP_NAMES, type OpName } from '../model/steps/index.js';
import { UsageError } from './usageError.js';

/** Raw option values as commander gives them (strings, or booleans for flags). */
export interface RawBoundOptions {
  preset?: string;
  mms?: string;
  va?: string;
  pt?: string;
  large?: string;
  slots?: string;
  pins?: string;
  ops?: string;
  tuple?: boolean;
  era?: string;
  ae?: string;
  scheme?: string;
  map?: string;
  swap?: string;
  data?: boolean;
  orders?: string;
}

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected an integer ${min}..${max}`)
    .transform(Number)
    .pipe(
      z.number().int().min(min, `expected an integer ${min}..${max}`).max(max, `expected an integer ${min}..${max}`),
    );

const opsList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  )
  .pipe(z.array(z.enum(OP_NAMES, { error: `expected a comma-separated list of ${OP_NAMES.join(',')}` })).min(1));

const orderList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected a comma-separated list of folio orders, e.g. 1,2')
  .transform((s) => s.split(',').map(Number));

/** Parses one option value; throws a UsageError naming the option, what was expected and what was given. */
function parseOption<T>(name: string, schema: z.ZodType<T>, raw: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError(`--${name}: ${issue?.message ?? 'invalid value'}, got ${JSON.stringify(raw)}`);
}

export function presetBounds(name: string, flag = 'preset'): Bounds {
  if (!(PRESET_NAMES as string[]).includes(name)) {
    throw new UsageError(`--${flag}: expected one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return PRESETS[name as PresetName];
}

/** Bounds from a preset (bench-core's core-safe by default) with explicit flags overriding it. */
export function boundsFromOptions(o: RawBoundOptions): Config {
  const base = presetBounds(o.preset ?? 'core-safe');
  const num = (name: keyof typeof LIMITS, min: number, fallback?: number): number => {
    const raw = o[name];
    const def = fallback ?? (base[name] as number);
    return raw === undefined ? def : parseOption(name, intIn(min, LIMITS[name]), raw);
  };
  const bounds: Bounds = {
    mms: num('mms', 1),
    va: num('va', 1),
    pt: num('pt', 1),
    large: num('large', 1),
    slots: num('slots', 1),
    pins: num('pins', 0),
    ops: o.ops === undefined ? base.ops : (parseOption('ops', opsList, o.ops) as OpName[]),
  };
  const withExtras: Bounds = {
    ...bounds,
    ...(o.map !== undefined ? { map: num('map', 0) } : {}),
    ...(o.swap !== undefined ? { swap: num('swap', 0) } : {}),
    ...(o.data !== undefined ? { data: o.data } : {}),
    ...(o.orders !== undefined ? { orders: parseOption('orders', orderList, o.orders) } : {}),
    ...policyOptions(o, base),
  };
  const errors = checkBounds(withExtras);
  if (errors.length > 0) {
    throw new UsageError(errors.map((e) => `--${e.field}: expected ${e.expected}, got ${e.got}`).join('\n'));
  }
  return makeConfig(withExtras);
}

/** --era, --ae, --scheme (and --tuple, shorthand for --scheme tuple-naive) over the preset's. */
function policyOptions(o: RawBoundOptions, base: Bounds): Partial<Bounds> {
  const era = o.era ?? base.era;
  if (era !== undefined && !isEra(era)) {
    throw new UsageError(`--era: expected one of ${ERAS.join(', ')}, got ${JSON.stringify(era)}`);
  }
  const ae = o.ae ?? base.ae;
  if (ae !== undefined && !(AE_GRANULARITIES as readonly string[]).includes(ae)) {
    throw new UsageError(`--ae: expected one of ${AE_GRANULARITIES.join(', ')}, got ${JSON.stringify(ae)}`);
  }
  let schemes = [...(base.schemes ?? [])];
  if (o.scheme !== undefined) {
    schemes = o.scheme
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    for (const name of schemes) {
      if (!SCHEME_NAMES.includes(name)) {
        throw new UsageError(
          `--scheme: expected a comma-separated list of ${SCHEME_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
        );
      }
    }
  }
  if (o.tuple === true && !schemes.includes('tuple-naive')) schemes.push('tuple-naive');
  if (o.tuple === false) schemes = schemes.filter((s) => s !== 'tuple-naive');
  return {
    ...(era !== undefined ? { era: era as Era } : {}),
    ...(ae !== undefined ? { ae: ae as AeGranularity } : {}),
    schemes,
  };
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
