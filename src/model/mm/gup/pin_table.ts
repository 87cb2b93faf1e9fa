/**
 * The pin table: the model's record of live FOLL_PIN pins and FOLL_GET references (who pinned or got which
 * page, through which address).
 *
 * Models:   no kernel structure: the kernel keeps pins as counts in the folio and leaves the list to the
 *           pinning driver (io_uring's registered buffers, a pipe's pages); the model needs the list to check
 *           that each pin keeps seeing its owner's page (docs/kernel-rules.md §5 I7).
 * Rule:     pins are interchangeable, so the table is kept in one canonical order: sorted by (mm, addr),
 *           ties in order of pinning, empty entries last. Every change to the table goes through here.
 */
import type { Pin } from '../../include/mm_types.js';
import { clearPin, copyPin, makePin } from '../../state/plain.js';

/** Inserts a live pin in its place, after any pin with the same (mm, addr). The table has a free entry. */
export function pin_insert(
  pins: Pin[],
  m: number,
  addr: number,
  folio: number,
  page: number,
  expect: number,
  write: boolean,
  get = false,
): void {
  let at = 0;
  while (at < pins.length) {
    const p = pins[at] as Pin;
    if (!p.live || p.mm > m || (p.mm === m && p.addr > addr)) break;
    at += 1;
  }
  for (let i = pins.length - 1; i > at; i--) copyPin(pins[i - 1] as Pin, pins[i] as Pin);
  const pin = pins[at] as Pin;
  pin.live = true;
  pin.mm = m;
  pin.addr = addr;
  pin.folio = folio;
  pin.page = page;
  pin.attached = true;
  pin.write = write;
  pin.get = get;
  pin.expect = expect;
}

/**
 * FOLL_GET references (`get` entries) on folio `slot`: they raise its `_refcount` but not `_pincount`, so
 * what the kernel reads from the refcount alone (can_split_folio(), the refcount invariant) counts them here.
 */
export function folio_get_refs(pins: readonly Pin[], slot: number): number {
  let n = 0;
  for (const p of pins) if (p.live && p.get && p.folio === slot) n += 1;
  return n;
}

/** Removes pin `idx`, closing the gap. */
export function pin_remove(pins: Pin[], idx: number): void {
  for (let i = idx; i + 1 < pins.length; i++) copyPin(pins[i + 1] as Pin, pins[i] as Pin);
  clearPin(pins[pins.length - 1] as Pin);
}

/** Restores the order after pins changed address (mremap): a stable insertion sort. */
export function pin_sort(pins: Pin[]): void {
  for (let i = 1; i < pins.length; i++) {
    for (let j = i; j > 0; j--) {
      const a = pins[j - 1] as Pin;
      const b = pins[j] as Pin;
      if (!b.live || (a.live && (a.mm < b.mm || (a.mm === b.mm && a.addr <= b.addr)))) break;
      pin_swap(a, b);
    }
  }
}

/** Scratch entry for swaps: allocated once, so sorting allocates nothing. */
const held = makePin();

function pin_swap(a: Pin, b: Pin): void {
  copyPin(a, held);
  copyPin(b, a);
  copyPin(held, b);
}
