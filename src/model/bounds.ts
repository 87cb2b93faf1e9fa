/**
 * The bounds of a model instance as one zod schema: each field's description, limit and default, and the
 * rules between fields. The CLI's options and their help text are generated from it (cli/options.ts), and
 * bounds from anywhere else (specs, presets, tests, a worker thread) are parsed against it by `makeConfig`.
 * One error format: the field, what was expected, what was given.
 *
 * Over 300 lines: `FIELDS` is one table of every bound, read as the `--help` it generates, and the rules
 * between fields follow it; split, a new bound would be declared in two places.
 */
import { z } from 'zod';
import { AE_GRANULARITIES, type Bounds, type BoundsError, type FieldError } from './config.js';
import { DEFAULT_ERA, ERAS, eraRules } from './eras.js';
import { SCHEME_NAMES } from './mapcount/index.js';
import { POLICY_NAMES, POLICY_SYNTAX, parsePolicy } from './policies.js';
import { OP_NAMES, stepNamed } from './steps/index.js';

/** How a field is written on a command line, and how that text becomes the value the schema checks. */
export type FieldSyntax = 'int' | 'number' | 'list' | 'int-list' | 'word' | 'flag';

/**
 * One option field (a bound, a search limit): its schema, its help text, how it is written, and its default
 * as a user reads it. The CLI's options are generated from such fields (cli/options.ts).
 */
export interface OptionField<K extends string = string> {
  readonly key: K;
  /** The command-line flag without `--`, where it is not the key in kebab case (`--scheme` for `schemes`). */
  readonly flag?: string;
  readonly schema: z.ZodType;
  readonly syntax: FieldSyntax;
  /** `--help` text; the accepted values and the default are added from the schema and `defaultText`. */
  readonly help: string;
  /** The default as a user reads it (the value itself is applied where the field is read: config.ts). */
  readonly defaultText?: string;
  /** Placeholder in `--help` (`<n>`, `<list>`). */
  readonly placeholder?: string;
  /** The names a word or list takes, listed in `--help`. */
  readonly values?: readonly string[];
  /**
   * A flag that may be followed by a word: each word and the value it stands for (the bare flag is true).
   * `--symmetry mms` names the one symmetry the model has (renaming the mms), `--symmetry none` none.
   */
  readonly words?: Readonly<Record<string, boolean>>;
}

/** A bound of the model: an option field named after a field of `Bounds`. */
export type BoundField = OptionField<keyof Bounds>;

/** `--max-depth` for `maxDepth`, or the field's own flag. */
export function flagOf(f: OptionField): string {
  return f.flag ?? f.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Largest values the state encoding is laid out for (wider bounds need wider fields, not a redesign). */
export const LIMITS = { mms: 8, va: 64, pt: 64, large: 64, slots: 255, pins: 8, map: 64, swap: 64 } as const;

/**
 * What a bound is checked for: `search` (explore, specs, bench, simulate, matrix: every state is stored, so
 * LIMITS hold) or `replay` (run and kernel replay one script and never store a state: the kernel's own
 * geometry, 512 PTEs per table and a PMD-sized folio of 512 pages, two tables, fits).
 */
export type BoundsUse = 'search' | 'replay';
/** The geometry `run` and `kernel` accept beyond LIMITS (x86-64's PTRS_PER_PTE, two page tables). */
export const REPLAY_LIMITS = { va: 1024, pt: 512, large: 512, map: 1024 } as const;

const intIn = (min: number, max: number) => {
  const expected = `an integer ${min}..${max}`;
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
};
const oneOf = (names: readonly string[], what = 'one of') =>
  z
    .string({ error: `${what} ${names.join(', ')}` })
    .refine((s) => names.includes(s), { error: `${what} ${names.join(', ')}` });
const listOf = (names: readonly string[]) => {
  const expected = `a comma-separated list of ${names.join(',')}`;
  return z.array(oneOf(names, 'a list of'), { error: expected });
};

/**
 * Every bound, in the order `--help` lists them. Keyed by the fields of `Bounds` (config.ts): the compiler
 * checks that each field of the interface has exactly one entry here.
 */
const FIELDS = {
  mms: {
    schema: intIn(1, LIMITS.mms),
    syntax: 'int',
    help: 'most mms (mm 0 exists; fork gives the child the lowest free number)',
  },
  va: { schema: intIn(1, REPLAY_LIMITS.va), syntax: 'int', help: 'virtual pages per mm (a multiple of --pt)' },
  pt: {
    schema: intIn(1, REPLAY_LIMITS.pt),
    syntax: 'int',
    help: 'PTEs per page table, and pages of a PMD-sized folio',
  },
  large: {
    schema: intIn(1, REPLAY_LIMITS.large),
    syntax: 'int',
    help: 'pages of a large (mTHP) folio: a power of two dividing --pt; 1 = small folios only',
  },
  slots: {
    schema: intIn(1, LIMITS.slots),
    syntax: 'int',
    help: 'folio slots (an operation that needs more is not enabled)',
  },
  pins: { schema: intIn(0, LIMITS.pins), syntax: 'int', help: 'most live pins' },
  ops: {
    schema: listOf(OP_NAMES).min(1, { error: 'at least one operation' }),
    syntax: 'list',
    help: 'enabled steps (or all)',
    placeholder: '<list>',
    values: OP_NAMES,
  },
  map: {
    schema: intIn(0, REPLAY_LIMITS.map),
    syntax: 'int',
    help: 'pages mm 0 maps at the start (one VMA over 0..n-1); the rest is free for mremap',
    defaultText: '--va',
  },
  swap: { schema: intIn(0, LIMITS.swap), syntax: 'int', help: 'swap slots', defaultText: '0: no swap' },
  orders: {
    // Up to 9 (512 pages) for a replay at the kernel's geometry; a search's limit is 6 (searchLimitErrors).
    schema: z.array(intIn(1, 9), { error: 'a comma-separated list of folio orders, e.g. 1,2' }),
    syntax: 'int-list',
    help: 'mTHP orders a write fault may allocate, highest first where the range is empty (none: small folios only)',
    defaultText: 'the order of --large',
    placeholder: '<list>',
  },
  data: {
    schema: z.boolean({ error: 'true or false' }),
    syntax: 'flag',
    help: 'track page contents and check data isolation between mms and pins',
  },
  era: {
    schema: oneOf(ERAS),
    syntax: 'word',
    help: 'kernel era whose rules apply',
    defaultText: DEFAULT_ERA,
    placeholder: '<era>',
    values: ERAS,
  },
  ae: {
    schema: oneOf(AE_GRANULARITIES),
    syntax: 'word',
    help: 'PG_anon_exclusive per page (the kernel) or per folio',
    defaultText: 'page',
    placeholder: '<granularity>',
    values: AE_GRANULARITIES,
  },
  schemes: {
    flag: 'scheme',
    schema: listOf(SCHEME_NAMES),
    syntax: 'list',
    help: 'mapcount schemes to maintain and check (none: no scheme; a path such as ./my-scheme.mjs loads a scheme file)',
    defaultText: 'none; era 6.15 adds mm-id',
    placeholder: '<list>',
    values: SCHEME_NAMES,
  },
  policy: {
    schema: z.string({ error: POLICY_SYNTAX }).refine((t) => !('error' in parsePolicy(t)), { error: POLICY_SYNTAX }),
    syntax: 'word',
    help: 'a policy: era, AnonExclusive granularity and deciding scheme at once',
    defaultText: 'none',
    placeholder: '<policy>',
    values: POLICY_NAMES,
  },
  decider: {
    flag: 'decide-with',
    schema: oneOf(SCHEME_NAMES),
    syntax: 'word',
    help: "the scheme the kernel's mapcount decisions ask (COW reuse, deferred split, reclaim, pageout, pagemap)",
    defaultText: "none: the era's own counts",
    placeholder: '<scheme>',
    values: SCHEME_NAMES,
  },
  symmetry: {
    schema: z.boolean({ error: 'true or false (or mms, none)' }),
    syntax: 'flag',
    help: 'one state per renaming of mm numbers (mms are interchangeable once created); traces stay concrete',
    words: { mms: true, none: false },
  },
  readAllocates: {
    schema: z.boolean({ error: 'true or false' }),
    syntax: 'flag',
    help: 'a read fault allocates a folio as a write fault does instead of mapping the zero page (mm_forbids_zeropage(), some guest kernels); the kernel command asks the running kernel',
  },
  tuple: {
    schema: z.boolean({ error: 'true or false' }),
    syntax: 'flag',
    help: "add tuple-naive to the schemes (bench-core's core-tuple)",
  },
} satisfies { readonly [K in keyof Required<Bounds>]: Omit<BoundField, 'key'> };

export const BOUND_FIELDS: readonly BoundField[] = Object.entries(FIELDS).map(([key, f]) => ({
  key: key as keyof Bounds,
  ...f,
}));

/** Most mms `--symmetry` takes: it encodes every permutation of them per state. */
export const MAX_SYMMETRIC_MMS = 4;

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** The rules between fields, each reported at the field that breaks it. */
function crossFieldRules(b: Bounds, issue: (field: keyof Bounds, expected: string) => void): void {
  if (b.map !== undefined && b.map > b.va) issue('map', `at most va (${b.va})`);
  // Every permutation of the mm numbers is tried per state: 4! = 24 at most.
  if (b.symmetry === true && b.mms > MAX_SYMMETRIC_MMS)
    issue('mms', `at most ${MAX_SYMMETRIC_MMS} with --symmetry (each state tries every renaming of the mms)`);
  if (b.policy !== undefined) {
    const p = parsePolicy(b.policy);
    if (!('error' in p)) {
      // A policy stands for its fields: a different value for one of them is a contradiction.
      if (b.era !== undefined && b.era !== p.era) issue('era', `${p.era}, the era of policy ${b.policy}`);
      if (b.ae !== undefined && b.ae !== p.ae) issue('ae', `${p.ae}, the granularity of policy ${b.policy}`);
      if (b.decider !== undefined && b.decider !== p.decider)
        issue('decider', `${p.decider ?? 'none'}, the decider of policy ${b.policy}`);
    }
  }
  if (!isPowerOfTwo(b.large)) issue('large', 'a power of two (pages of a folio of some order)');
  else if (b.pt % b.large !== 0) issue('large', `a divisor of pt (${b.pt})`);
  if (b.va % b.pt !== 0) issue('va', `a multiple of pt (${b.pt})`);
  if (b.orders !== undefined) {
    const top = Math.log2(b.large);
    if (b.orders.some((o) => o > top)) issue('orders', `orders 1..${top} (log2 of --large ${b.large})`);
  }
}

const required = new Set<keyof Bounds>(['mms', 'va', 'pt', 'large', 'slots', 'pins', 'ops']);

/** The schema itself: every field, optional where a default applies, then the cross-field rules. */
export const boundsSchema = z
  .object(Object.fromEntries(BOUND_FIELDS.map((f) => [f.key, required.has(f.key) ? f.schema : f.schema.optional()])))
  .strict()
  .superRefine((b, ctx) => {
    crossFieldRules(b as unknown as Bounds, (field, expected) =>
      ctx.addIssue({ code: 'custom', path: [field], message: expected }),
    );
  });

/**
 * Bounds under which an enabled step can never run (each step declares what it needs: `needs.bounds` in its
 * file), or no step at all (mm 0 maps nothing), or a policy no kernel had (AE per folio before 5.19). Valid bounds as far as the model goes, refused from a user:
 * the search would pass having never tried the step. Checked by the CLI, not by `makeConfig`: bench-core's
 * core-safe-p0 keeps pin and unpin in its operations with no pin entry, as published.
 */
export function unrunnable(b: Bounds): BoundsError[] {
  const out: BoundsError[] = [];
  const got = (field: keyof Bounds): string => given(b, [field]);
  if (b.map === 0) out.push({ field: 'map', expected: 'at least 1 (mm 0 maps nothing, so no step can run)', got: '0' });
  // The model runs it (its tests cover every era), the kernel never had it: the matrix has no such cell.
  if (b.ae === 'folio' && !eraRules(b.era ?? DEFAULT_ERA).anonExclusive) {
    const eras = ERAS.filter((e) => eraRules(e).anonExclusive).join(', ');
    const expected = `page (era ${b.era} has no PG_anon_exclusive; folio needs era ${eras})`;
    out.push({ field: 'ae', expected, got: got('ae') });
  }
  // One error per need, naming every step that has it (pin and unpin both need a pin entry).
  const byNeed = new Map<string, { field: keyof Bounds; expected: string; ops: string[] }>();
  for (const op of b.ops) {
    const n = stepNamed(op)?.needs.bounds?.(b);
    if (n === undefined) continue;
    const key = `${n.field}: ${n.expected}`;
    const entry = byNeed.get(key) ?? { ...n, ops: [] };
    entry.ops.push(op);
    byNeed.set(key, entry);
  }
  for (const n of byNeed.values()) {
    out.push({ field: n.field, expected: `${n.expected} while --ops enables ${n.ops.join(', ')}`, got: got(n.field) });
  }
  return out;
}

/** The value at `path` of `input`, as a user would have written it. */
function given(input: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : v.join(',');
  // A number as written (NaN too); anything else as JSON: a quoted string, an object's fields.
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** Checks bounds from any source; every problem as (field, expected, got), none if they are valid. */
export function checkBounds(input: unknown, use: BoundsUse = 'search'): BoundsError[] {
  const errors = fieldErrors(boundsSchema, BOUND_FIELDS, input);
  if (use === 'replay' || typeof input !== 'object' || input === null) return errors;
  // A search's own limit comes first: it says why, where the cross-field rules would only follow from it.
  const limits = searchLimitErrors(input as Bounds);
  return [...limits, ...errors.filter((e) => !limits.some((l) => l.field === e.field))];
}

/** Geometry beyond LIMITS: accepted by the schema for replays only; a search is refused, saying why. */
function searchLimitErrors(b: Bounds): BoundsError[] {
  const out: BoundsError[] = [];
  for (const key of ['va', 'pt', 'large', 'map'] as const) {
    const v = b[key];
    if (v !== undefined && v > LIMITS[key])
      out.push({
        field: key,
        expected: `an integer ${key === 'map' ? 0 : 1}..${LIMITS[key]} (up to ${REPLAY_LIMITS[key]} only for run and kernel, which replay one script; a search stores every state and its encoding is laid out for ${LIMITS[key]})`,
        got: String(v),
      });
  }
  // Input not yet validated: orders may be anything here.
  const orders: unknown = b.orders;
  if (Array.isArray(orders) && orders.some((o) => typeof o === 'number' && o > 6)) {
    out.push({
      field: 'orders',
      expected: `integers 1..6 (up to 9 only for run and kernel, which replay one script; a search's folios are at most ${LIMITS.large} pages)`,
      got: orders.join(','),
    });
  }
  return out;
}

/** Parses `input` with `schema`; every problem as a `FieldError`, one per field (the first rule it breaks). */
export function fieldErrors(schema: z.ZodType, fields: readonly OptionField[], input: unknown): FieldError[] {
  const r = schema.safeParse(input);
  if (r.success) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = fields.map((f) => f.key).join(', ');
      for (const key of issue.keys)
        out.push({ field: key, expected: `no such field (the fields are ${known})`, got: 'a value' });
      continue;
    }
    const field = String(issue.path[0] ?? 'input');
    // A list's element errors repeat the same expectation: one message per field.
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, expected: issue.message, got: given(input, issue.path) });
  }
  return out;
}
