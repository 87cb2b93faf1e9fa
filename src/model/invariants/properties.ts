/**
 * The classes of property the invariants fall into: the matrix shows one column per class, each with the
 * shortest failure of any invariant of that class. Every invariant names its class (`defineInvariant`), so
 * a new invariant takes its place in the matrix by construction.
 */

export const PROPERTY_CLASSES = [
  {
    key: 'desync',
    title: 'desync',
    description: "the row's scheme disagrees with the page tables (§3; for mm-id: the shared bit is unsound)",
  },
  {
    key: 'ae',
    title: 'AE once',
    description: 'a page marked PG_anon_exclusive is mapped more than once (I2, I3)',
    needsAnonExclusive: true,
  },
  {
    key: 'writable',
    title: 'W=>AE',
    description: 'a writable PTE or PMD maps a page that is not exclusive (I1)',
    needsAnonExclusive: true,
  },
  {
    key: 'isolation',
    title: 'isolation',
    description: "an mm, or a pin whose owner unmapped it, sees another mm's write (I15; §4 B2, B5)",
  },
  {
    key: 'pin',
    title: 'pin',
    description: 'a pin no longer sees the page its owner maps there (I7, I15; §4 B3, B4)',
  },
  {
    key: 'uaf',
    title: 'UAF',
    description: 'a PTE maps a freed folio, or a folio is freed while referenced or leaked (use-after-free)',
  },
  {
    key: 'split',
    title: 'split',
    description:
      'a large folio mapped in part was never queued for deferred split: its unmapped pages are never ' +
      'reclaimed (judged when a scheme decides)',
    needsDecider: true,
  },
  {
    key: 'other',
    title: 'other',
    description:
      "the model's own consistency: per-page mapcounts, refcount = mappings + pins, writable only in a " +
      'writable VMA, and no kernel warning (VM_WARN) or model error',
    stepFailures: true,
  },
] as const satisfies readonly PropertyClassSpec[];

interface PropertyClassSpec {
  readonly key: string;
  /** Column heading (short). */
  readonly title: string;
  readonly description: string;
  /** Only meaningful where PG_anon_exclusive exists (5.19 on). */
  readonly needsAnonExclusive?: boolean;
  /** Only judged when a scheme decides (`--decide-with`): the era tables leave it out. */
  readonly needsDecider?: boolean;
  /** Also takes the steps that threw (kernel warnings, model errors). */
  readonly stepFailures?: boolean;
}

export type PropertyClass = (typeof PROPERTY_CLASSES)[number]['key'];
