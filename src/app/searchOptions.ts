/**
 * The limits and settings of a search as option fields, like the bounds (model/bounds.ts): each field's
 * description, limit and default written once; the CLI's options and their help are generated from them,
 * and any other source (a spec, a test) is parsed against the same schema.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { defaultWorkers } from '../checker/parallel.js';
import { fieldErrors, type OptionField } from '../model/bounds.js';
import type { FieldError } from '../model/config.js';

/** The search options as a command line or a spec gives them. */
export interface SearchInput {
  readonly store?: 'exact' | 'fingerprint';
  readonly workers?: number | 'auto';
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  readonly maxMemory?: number;
  readonly spillDir?: string;
}

/** The search options as the use cases read them. */
export interface SearchOptions {
  store: 'exact' | 'fingerprint';
  workers: number;
  maxDepth?: number;
  maxStates?: number;
  maxSeconds?: number;
  maxMemoryBytes?: number;
  spillDir?: string;
}

/** More threads than this gain nothing on any machine this runs on and cost a channel per pair. */
export const MAX_WORKERS = Math.max(2, 4 * availableParallelism());

const WORKERS = `an integer 1..${MAX_WORKERS} or auto`;

const positiveInt = (what: string) => z.number({ error: what }).int({ error: what }).positive({ error: what });

const FIELDS = {
  store: {
    schema: z.enum(['exact', 'fingerprint'], { error: 'exact or fingerprint' }),
    syntax: 'word',
    help: 'visited-state store: exact, or fingerprint (64-bit hashes)',
    defaultText: 'exact',
    placeholder: '<mode>',
  },
  maxDepth: { schema: positiveInt('a positive integer'), syntax: 'int', help: 'do not expand states at this depth' },
  maxStates: {
    schema: positiveInt('a positive integer'),
    syntax: 'int',
    help: 'stop after this many distinct states (on n workers, at most n - 1 more)',
  },
  maxSeconds: {
    schema: z.number({ error: 'a positive number' }).positive({ error: 'a positive number' }),
    syntax: 'number',
    help: 'stop after this much time',
    placeholder: '<s>',
  },
  maxMemory: {
    schema: positiveInt('a positive integer (MiB)'),
    syntax: 'int',
    help: 'stop when resident memory passes this many MiB',
    defaultText: '90% of RAM',
    placeholder: '<MiB>',
  },
  spillDir: {
    schema: z.string({ error: 'a directory' }).min(1, { error: 'a directory' }),
    syntax: 'word',
    help: 'where the queue and the predecessors spill to disk (in a directory made there, removed at the end)',
    defaultText: 'the temporary directory',
    placeholder: '<dir>',
  },
  workers: {
    schema: z.union([z.literal('auto'), positiveInt(WORKERS).max(MAX_WORKERS, { error: WORKERS })], { error: WORKERS }),
    syntax: 'int',
    help: 'threads for the search, or auto (one per core); 1 is deterministic',
    defaultText: '1; bench: auto',
  },
} satisfies { readonly [K in keyof Required<SearchInput>]: Omit<OptionField, 'key'> };

export const SEARCH_FIELDS: readonly OptionField<keyof SearchInput>[] = Object.entries(FIELDS).map(([key, f]) => ({
  key: key as keyof SearchInput,
  ...(f as Omit<OptionField, 'key'>),
}));

const searchSchema = z
  .object(Object.fromEntries(SEARCH_FIELDS.map((f) => [f.key, (f.schema as z.ZodType).optional()])))
  .strict();

/** Every problem with search options from any source, as (field, expected, got). */
export function checkSearch(input: unknown): FieldError[] {
  return fieldErrors(searchSchema, SEARCH_FIELDS, input);
}

/** Valid search options (see `checkSearch`) as the use cases read them. */
export function searchOptions(input: SearchInput, defaults: SearchInput = {}): SearchOptions {
  const o = { ...defaults, ...input };
  const workers = o.workers === undefined ? 1 : o.workers === 'auto' ? defaultWorkers() : o.workers;
  const out: SearchOptions = { store: o.store ?? 'exact', workers };
  if (o.maxDepth !== undefined) out.maxDepth = o.maxDepth;
  if (o.maxStates !== undefined) out.maxStates = o.maxStates;
  if (o.maxSeconds !== undefined) out.maxSeconds = o.maxSeconds;
  if (o.maxMemory !== undefined) out.maxMemoryBytes = o.maxMemory * 2 ** 20;
  if (o.spillDir !== undefined) out.spillDir = o.spillDir;
  return out;
}
