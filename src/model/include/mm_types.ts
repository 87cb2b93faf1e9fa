/**
 * The model's kernel objects, after include/linux/mm_types.h.
 *
 * Declared once, with every field's meaning, in the state layer (state/schema.ts); the types are
 * re-exported here so that the kernel code keeps including them from where the kernel has them.
 *
 * Two implementations satisfy these types and every operation runs unchanged on both: plain objects
 * (state/plain.ts: fixtures, immer drafts in traces) and typed-array views (state/views.ts: the exhaustive
 * search's hot path, where no object is allocated per transition).
 */
export type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte, SwapSlot, Vm, Words } from '../state/schema.js';
