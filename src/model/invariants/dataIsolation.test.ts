/**
 * dataIsolation (docs/kernel-rules.md §5 I15): correct rules keep it along any sequence of the whole model's
 * operations, and it catches a content that no rule put there, naming the mm and address that see it. A swap
 * entry reads its slot's content; a PTE, swap entry or pin that leads to no page reads none (-1); an mm that
 * does not exist is not read, by holds() or explain(). (Those from its mutation run's survivors.)
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  config,
  expectStep,
  fork,
  kernelAfter,
  mapPte,
  mmOf,
  PTE_OPS,
  pageOf,
  pin,
  pinOf,
  pteOf,
  randomRun,
  reclaim,
  write,
  zap,
} from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import type { Bounds, Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { storeFreshValue } from '../mm/memory/access.js';
import { Truth } from '../recount/truth.js';
import dataIsolation from './dataIsolation.js';
import { invariantsFor } from './index.js';

/** Small bounds with every PTE-level operation and contents tracked. */
const whole = (over: Partial<Bounds> = {}): Config =>
  config({ mms: 2, va: 4, pt: 2, large: 2, slots: 6, pins: 1, ops: PTE_OPS, data: true, ...over });

/** The first invariant `k` breaks, with its explanation; [] when all hold. */
function broken(k: Kernel): string[] {
  const sys = new KernelSystem(k.cfg);
  const i = sys.checkKernel(k);
  return i < 0 ? [] : [sys.invariantNames[i] as string, ...sys.explain(i, k)];
}

const holdsAlongRandomRuns = (name: string, cfg: Config) =>
  test.prop([fc.array(fc.nat(), { maxLength: 40, size: 'max' })], { numRuns: 250 })(
    `every invariant holds along random sequences of all PTE-level operations, data tracked (${name})`,
    (choices) => {
      for (const k of randomRun(cfg, choices).states) expect(broken(k)).toEqual([]);
    },
  );

describe('dataIsolation holds under the correct rules (docs/kernel-rules.md §5 I15)', () => {
  holdsAlongRandomRuns('every page mapped', whole());
  holdsAlongRandomRuns('map 2: mremap has room', whole({ map: 2 }));

  it('the random runs do reach the operations under test (not only the first enabled ones)', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 80; seed++) {
      const choices = Array.from({ length: 40 }, (_, i) => (seed * 7919 + i * 104_729) % 10_007);
      for (const a of randomRun(whole({ map: 2 }), choices).taken) kinds.add(a.kind);
    }
    expect([...kinds].sort()).toEqual([...PTE_OPS].sort());
  });

  it('applies only when contents are tracked', () => {
    expect(invariantsFor(whole()).map((i) => i.name)).toContain('dataIsolation');
    expect(invariantsFor(whole({ data: false })).map((i) => i.name)).not.toContain('dataIsolation');
  });

  it('page_alloc: a reused slot holds no content of the folio freed before it (plain and search agree)', () => {
    const before = kernelAfter(whole(), [write(0, 1), zap(0, 0, 2)]);
    expectStep(before, write(0, 0), (d) => {
      d.nr_folios += 1;
      Object.assign(d.folio[0] ?? {}, { used: true, nr_pages: 2, _refcount: 2 });
      mapPte(d, 0, 0, 0, 0, true);
      mapPte(d, 0, 1, 0, 1, true);
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true, data: 2 });
      Object.assign(pageOf(d, 0, 1), { _mapcount: 1, anon_exclusive: true, data: 0 });
      mmOf(d, 0).expect[0] = 2;
      d.values = 2;
    });
  });
});

/** The invariant holds in `good`; after `breakIt` it fails and explains itself with `lines`. */
function expectCaught(good: Kernel, breakIt: (k: Kernel) => void, lines: string[]): void {
  const t = new Truth(good.cfg);
  t.recount(good);
  expect(dataIsolation.holds(good, t)).toBe(true);
  expect(dataIsolation.explain(good, t)).toEqual([]);
  breakIt(good);
  t.recount(good);
  expect(dataIsolation.holds(good, t)).toBe(false);
  expect(dataIsolation.explain(good, t)).toEqual(lines);
}

describe('dataIsolation catches what no rule wrote', () => {
  it('a page whose content changed behind the model’s back: every mm mapping it is named, with the address', () => {
    expectCaught(
      kernelAfter(whole(), [write(0, 1), fork(0)]),
      (k) => {
        pageOf(k, 0, 1).data = 7;
      },
      [
        'mm0 reads value 7 at 0x1, but its own last write there was value 1',
        'mm1 reads value 7 at 0x1, but its own last write there was value 1',
      ],
    );
  });

  it('§4 B2: a store through a shared page (a COW that wrongly reused it) shows up in the other mm', () => {
    expectCaught(
      kernelAfter(whole(), [write(0, 1), fork(0)]),
      (k) => {
        pteOf(k, 0, 1).write = true; // reuse without the COW checks
        storeFreshValue(k, 0, 1);
      },
      ['mm1 reads value 2 at 0x1, but its own last write there was value 1'],
    );
  });

  it('the zero page reads zeroes: a record of a write there is caught', () => {
    expectCaught(
      kernelAfter(whole(), [{ kind: 'read', mm: 0, addr: 3 }]),
      (k) => {
        mmOf(k, 0).expect[3] = 4;
      },
      ['mm0 reads value 0 at 0x3, but its own last write there was value 4'],
    );
  });

  it('§4 B2: a pin whose owner unmapped the address and whose content changed since is a leak', () => {
    expectCaught(
      kernelAfter(whole(), [write(0, 1), pin(0, 1)]),
      (k) => {
        pinOf(k, 0).attached = false;
        pinOf(k, 0).expect = 5;
      },
      ['pin 0 (mm0 0x1, unmapped since) sees value 1, but held value 5 when its owner unmapped it'],
    );
  });

  it("an attached pin is pinSeesOwnersPage's to judge (§4 B3, B4), not this invariant's", () => {
    const k = kernelAfter(whole(), [write(0, 1), pin(0, 1)]);
    pinOf(k, 0).expect = 5;
    const t = new Truth(k.cfg);
    t.recount(k);
    expect(dataIsolation.holds(k, t)).toBe(true);
  });

  it('an mm that does not exist reads nothing, whatever its stale record says', () => {
    const k = kernelAfter(whole(), [write(0, 1), fork(0)]);
    mmOf(k, 1).live = false;
    mmOf(k, 1).expect[1] = 9;
    const t = new Truth(k.cfg);
    t.recount(k);
    expect(dataIsolation.holds(k, t)).toBe(true);
    expect(dataIsolation.explain(k, t)).toEqual([]);
  });
});

/** With one swap slot that reclaim can swap a page out to. */
const swapping = whole({ swap: 1, ops: [...PTE_OPS, 'reclaim'] });

describe('dataIsolation reads what a PTE leads to, and nothing where it leads nowhere', () => {
  it('a swap entry reads the content written out to its slot: a change there is caught', () => {
    const k = kernelAfter(swapping, [write(0, 0), write(0, 1), reclaim(0, 0, 2)]);
    expect(pteOf(k, 0, 0)).toMatchObject({ swp: true, swap: 0 });
    expectCaught(
      k,
      (b) => {
        Object.assign(b.swap[0] ?? {}, { data: 9 });
      },
      ['mm0 reads value 9 at 0x0, but its own last write there was value 1'],
    );
  });

  it('a swap entry naming a slot that does not exist reads no content (-1)', () => {
    expectCaught(
      kernelAfter(swapping, [write(0, 0), write(0, 1), reclaim(0, 0, 2)]),
      (k) => {
        pteOf(k, 0, 0).swap = 3;
      },
      ['mm0 reads value -1 at 0x0, but its own last write there was value 1'],
    );
  });

  it('a PTE naming a page its folio does not have reads no content (-1)', () => {
    expectCaught(
      kernelAfter(whole(), [write(0, 1)]),
      (k) => {
        pteOf(k, 0, 1).page = 5;
      },
      ['mm0 reads value -1 at 0x1, but its own last write there was value 1'],
    );
  });

  it('an unmapped pin whose folio slot does not exist sees no content (-1)', () => {
    const k = kernelAfter(whole(), [write(0, 1), pin(0, 1), zap(0, 1, 1)]);
    expect(pinOf(k, 0)).toMatchObject({ attached: false, expect: 1 });
    expectCaught(
      k,
      (b) => {
        pinOf(b, 0).folio = 9;
      },
      ['pin 0 (mm0 0x1, unmapped since) sees value -1, but held value 1 when its owner unmapped it'],
    );
  });
});
