/*
 * bench-core in Promela: a second, independent model of the configuration
 * that docs/bench-core.md specifies, written for Spin. It exists to
 * cross-check foliocheck (both must store the same number of states and find
 * a counterexample of the same length) and to compare throughput
 * (bench/spin-side-by-side.sh). Build and run: bench/spin/README.md.
 *
 * Compile-time switches (spin -DNAME[=value] -a core.pml):
 *   TUPLE       core-tuple: adds folio.tuples and its invariant (default core-safe)
 *   VA=n        virtual pages per mm, a multiple of 4, at most 16 (default and
 *               every published variant: 4)
 *   SLOTS=n     folio slots, 1..30 (default 16; core-safe-s5: 5)
 *   PINS=n      at most this many live pins, 0..3 (default 1; core-safe-p0: 0)
 *   CANON       renumber used slots in order of first reference after every
 *               step (docs/bench-core.md "Canonical slots"); the published
 *               counts need it. Without it, slots stay where alloc() put them.
 *   NOINV       do not check the invariants (raw exploration speed only)
 *   BFS         breadth-first build (also give -DBFS to gcc)
 * Fixed: MMS = 2, PT = 4, LARGE = 4.
 * Longer than the house limit of 300 lines on purpose: Spin takes one
 * self-contained file, which is also what gets copied into a scratch
 * directory to build pan (bench/spin-side-by-side.sh).
 *
 * Why Spin's "states stored" is exactly the number of distinct spec states:
 *  - One process (P), whose body is one do-loop. Every option of the loop is a
 *    single d_step whose first statement is the action's enabling condition,
 *    so each (action, parameters) pair is exactly one transition, no
 *    intermediate state is ever created, and between steps the process is
 *    always at the loop head: its program counter is the same in every state.
 *  - The initial state is all zeros, which is the spec's initial state under
 *    the encoding below, so global initialisers are not needed; `active`
 *    creates P before the search starts, so the initial state is stored once.
 *  - The state vector holds only the spec's state, packed bijectively (below).
 *    Every scratch variable is `hidden` (not in the state vector) and is always
 *    written before it is read inside the d_step that uses it. Under -DBFS
 *    (pass it to spin and to gcc) Spin forbids `hidden`; there the scratch
 *    variables are ordinary globals reset to 0 at the end of every step, so
 *    they are equal in all stored states and the count is unchanged.
 *  - The loop never blocks: before fork, fork() is enabled; after it, every
 *    address has either fault or zap enabled. So no end-state artefacts.
 *
 * Invariants are checked by assertions at the end of every d_step, i.e. in
 * the target state of every transition; the initial state (all zeros: no PTE,
 * no used slot, no pin) satisfies them trivially. A monitor process would
 * interleave with P and multiply the stored states; a never claim would add
 * its own steps. The cost of this choice: the invariants are evaluated once
 * per transition (edges), not once per state.
 *
 * Encoding (bijective with the spec's state):
 *   pte[m*VA + a]  0 = none; else ((slot+1) << 3) | (page << 1) | writable
 *   fa[s]          bit0 used, bit1 nr == 4 (else nr == 1 when used),
 *                  bits 2..5 ae[0..3], bits 6..7 pincount
 *   fm[s]          mapcount[j] in bits 2j..2j+1 (a mapcount is at most MMS = 2)
 *   fr[s]          refcount
 *   ft[s]          tuples (core-tuple only), two's complement in a byte
 *   pa[k]          0 = empty; else 1 | m << 1 | a << 2
 *   pb[k]          slot | page << 5 | attached << 7
 */

#ifndef VA
#define VA 4
#endif
#ifndef SLOTS
#define SLOTS 16
#endif
#ifndef PINS
#define PINS 1
#endif
#define NPTE (2*VA)

/* ------------------------------------------------------------- state */
bit  mm1;
byte pte[NPTE];
byte fa[SLOTS];
byte fm[SLOTS];
byte fr[SLOTS];
#ifdef TUPLE
byte ft[SLOTS];
#endif
#if PINS > 0
byte pa[PINS];
byte pb[PINS];
#endif

/* ------------------------------------------------------------- scratch
 * Not in the state vector: `hidden`. Spin refuses hidden variables under
 * -DBFS, so there they are ordinary globals that scrub() sets back to 0 at the
 * end of every step: every stored state then holds the same scratch values,
 * which leaves the number of states unchanged (the vector is only longer). */
#ifdef BFS
#define HID
#else
#define HID hidden
#endif
HID byte hs, ht, hj, hv, hk, hi, hx, hn, hsum, hnext, hfirst;
HID int  hmask;
HID byte hcnt[SLOTS*4];
#ifdef TUPLE
HID byte htup[SLOTS];
#endif
#ifdef CANON
HID byte hmap[SLOTS];
HID byte tfa[SLOTS];
HID byte tfm[SLOTS];
HID byte tfr[SLOTS];
#ifdef TUPLE
HID byte tft[SLOTS];
#endif
#endif

/* ------------------------------------------------------------- field access */
#define IDX(m,a)      ((m)*VA + (a))
#define PSLOT(v)      (((v) >> 3) - 1)
#define PPAGE(v)      (((v) >> 1) & 3)
#define PW(v)         ((v) & 1)
#define MKPTE(s,p,w)  ((((s)+1) << 3) | ((p) << 1) | (w))
#define USED(s)       (fa[s] & 1)
#define LARGEF(s)     ((fa[s] >> 1) & 1)
#define AE(s,j)       ((fa[s] >> (2+(j))) & 1)
#define PINC(s)       (fa[s] >> 6)
#define MC(s,j)       ((fm[s] >> (2*(j))) & 3)
#define MMEX(m)       ((m) == 0 || mm1)
#define PKEY(m,a)     (1 | ((m) << 1) | ((a) << 2))

#ifdef TUPLE
#define SETTUP(s,x)   ft[s] = (x)
#define ADDTUP(s,d)   ft[s] = ft[s] + (d)
#define CLRTUP(s)     ft[s] = 0
#else
#define SETTUP(s,x)   skip
#define ADDTUP(s,d)   skip
#define CLRTUP(s)     skip
#endif

/* "every slot is used": the AND of the used bits of slots 0..SLOTS-1 */
#define U(s) ((fa[s] & 1) != 0)
#define AU_1  U(0)
#define AU_2  AU_1 && U(1)
#define AU_3  AU_2 && U(2)
#define AU_4  AU_3 && U(3)
#define AU_5  AU_4 && U(4)
#define AU_6  AU_5 && U(5)
#define AU_7  AU_6 && U(6)
#define AU_8  AU_7 && U(7)
#define AU_9  AU_8 && U(8)
#define AU_10 AU_9 && U(9)
#define AU_11 AU_10 && U(10)
#define AU_12 AU_11 && U(11)
#define AU_13 AU_12 && U(12)
#define AU_14 AU_13 && U(13)
#define AU_15 AU_14 && U(14)
#define AU_16 AU_15 && U(15)
#define AU_17 AU_16 && U(16)
#define AU_18 AU_17 && U(17)
#define AU_19 AU_18 && U(18)
#define AU_20 AU_19 && U(19)
#define AU_21 AU_20 && U(20)
#define AU_22 AU_21 && U(21)
#define AU_23 AU_22 && U(22)
#define AU_24 AU_23 && U(23)
#define AU_25 AU_24 && U(24)
#define AU_26 AU_25 && U(25)
#define AU_27 AU_26 && U(26)
#define AU_28 AU_27 && U(27)
#define AU_29 AU_28 && U(28)
#define AU_30 AU_29 && U(29)
/* number of unused slots */
#define F(s) ((fa[s] & 1) -> 0 : 1)
#define FC_1  F(0)
#define FC_2  FC_1 + F(1)
#define FC_3  FC_2 + F(2)
#define FC_4  FC_3 + F(3)
#define FC_5  FC_4 + F(4)
#define FC_6  FC_5 + F(5)
#define FC_7  FC_6 + F(6)
#define FC_8  FC_7 + F(7)
#define FC_9  FC_8 + F(8)
#define FC_10 FC_9 + F(9)
#define FC_11 FC_10 + F(10)
#define FC_12 FC_11 + F(11)
#define FC_13 FC_12 + F(12)
#define FC_14 FC_13 + F(13)
#define FC_15 FC_14 + F(14)
#define FC_16 FC_15 + F(15)
#define FC_17 FC_16 + F(16)
#define FC_18 FC_17 + F(17)
#define FC_19 FC_18 + F(18)
#define FC_20 FC_19 + F(19)
#define FC_21 FC_20 + F(20)
#define FC_22 FC_21 + F(21)
#define FC_23 FC_22 + F(22)
#define FC_24 FC_23 + F(23)
#define FC_25 FC_24 + F(24)
#define FC_26 FC_25 + F(25)
#define FC_27 FC_26 + F(26)
#define FC_28 FC_27 + F(27)
#define FC_29 FC_28 + F(28)
#define FC_30 FC_29 + F(29)
#define FREECOUNT_(n)  (FC_##n)
#define FREECOUNT_X(n) FREECOUNT_(n)
#define FREECOUNT      FREECOUNT_X(SLOTS)
#define ALLUSED_(n)  (AU_##n)
#define ALLUSED_X(n) ALLUSED_(n)
#define FREESLOT     (!ALLUSED_X(SLOTS))

/* live pins < PINS, and no live pin is {m, a, ...} */
#if PINS == 0
#define PINROOM      false
#define NOPIN(m,a)   true
#elif PINS == 1
#define PINROOM      (pa[0] == 0)
#define NOPIN(m,a)   (pa[0] != PKEY(m,a))
#elif PINS == 2
#define PINROOM      (pa[0] == 0 || pa[1] == 0)
#define NOPIN(m,a)   (pa[0] != PKEY(m,a) && pa[1] != PKEY(m,a))
#elif PINS == 3
#define PINROOM      (pa[0] == 0 || pa[1] == 0 || pa[2] == 0)
#define NOPIN(m,a)   (pa[0] != PKEY(m,a) && pa[1] != PKEY(m,a) && pa[2] != PKEY(m,a))
#endif

/* ------------------------------------------------------------- helpers */

/* alloc(nr): lowest unused slot into res; set used and nr, all else is zero
 * already (an unused slot holds zeros). The caller's guard made sure a slot
 * is free. */
inline alloc(res, large) {
  res = 0;
  do
  :: res < SLOTS && USED(res) -> res++
  :: else -> break
  od;
  assert(res < SLOTS);
  fa[res] = 1 | ((large) << 1)
}

/* put(s): free the slot when its refcount is 0 */
inline put(s) {
  if
  :: fr[s] == 0 -> fa[s] = 0; fm[s] = 0; CLRTUP(s)
  :: else -> skip
  fi
}

/* new small folio t mapped once at pte index i, with the given writable bit */
inline newsmall(t, i, w) {
  alloc(t, 0);
  pte[i] = MKPTE(t, 0, w);
  fm[t] = 1;
  fa[t] = fa[t] | 4;
  fr[t] = 1;
  SETTUP(t, 1)
}

/* copy-on-write of the page mapped at index i (do_wp_page's wp_page_copy, or
 * the unshare path of a pin): t is allocated while s is still held, then s
 * loses the mapping and is put(). Leaves the new slot in ht. */
inline cowcopy(i, w) {
  hv = pte[i];
  hs = PSLOT(hv);
  hj = PPAGE(hv);
  newsmall(ht, i, w);
  fm[hs] = fm[hs] - (1 << (2*hj));
  fr[hs] = fr[hs] - 1;
  ADDTUP(hs, 255);
  put(hs)
}

/* ------------------------------------------------------------- canonical slots (CANON only) */
inline canon() {
#ifdef CANON
  for (hi : 0 .. SLOTS-1) { hmap[hi] = 255; tfa[hi] = fa[hi]; tfm[hi] = fm[hi]; tfr[hi] = fr[hi];
#ifdef TUPLE
    tft[hi] = ft[hi];
#endif
  }
  hnext = 0;
  for (hi : 0 .. NPTE-1) {
    if
    :: pte[hi] != 0 && hmap[PSLOT(pte[hi])] == 255 -> hmap[PSLOT(pte[hi])] = hnext; hnext++
    :: else -> skip
    fi
  }
#if PINS > 0
  for (hk : 0 .. PINS-1) {
    if
    :: pa[hk] != 0 && hmap[pb[hk] & 31] == 255 -> hmap[pb[hk] & 31] = hnext; hnext++
    :: else -> skip
    fi
  }
#endif
  for (hi : 0 .. SLOTS-1) { fa[hi] = 0; fm[hi] = 0; fr[hi] = 0; CLRTUP(hi) }
  for (hi : 0 .. SLOTS-1) {
    if
    :: hmap[hi] != 255 ->
       assert(tfa[hi] & 1);
       fa[hmap[hi]] = tfa[hi]; fm[hmap[hi]] = tfm[hi]; fr[hmap[hi]] = tfr[hi];
#ifdef TUPLE
       ft[hmap[hi]] = tft[hi];
#endif
    :: else -> assert(tfa[hi] == 0)
    fi
  }
  for (hi : 0 .. NPTE-1) {
    if
    :: pte[hi] != 0 -> pte[hi] = (pte[hi] & 7) | ((hmap[PSLOT(pte[hi])] + 1) << 3)
    :: else -> skip
    fi
  }
#if PINS > 0
  for (hk : 0 .. PINS-1) {
    if
    :: pa[hk] != 0 -> pb[hk] = (pb[hk] & 224) | hmap[pb[hk] & 31]
    :: else -> skip
    fi
  }
#endif
#else
  skip
#endif
}

/* ------------------------------------------------------------- invariants */
inline check() {
#ifndef NOINV
  for (hi : 0 .. SLOTS*4-1) { hcnt[hi] = 0 }
  for (hi : 0 .. NPTE-1) {
    hv = pte[hi];
    if
    :: hv != 0 ->
       hs = PSLOT(hv); hj = PPAGE(hv);
       hcnt[hs*4 + hj] = hcnt[hs*4 + hj] + 1;
       assert(!PW(hv) || AE(hs, hj))                 /* cow */
    :: else -> skip
    fi
  }
  for (hs : 0 .. SLOTS-1) {
    if
    :: USED(hs) ->
       hn = (LARGEF(hs) -> 4 : 1);
       hsum = PINC(hs);
       for (hj : 0 .. 3) {
         if
         :: hj < hn ->
            assert(MC(hs, hj) == hcnt[hs*4 + hj]);      /* mapcount */
            assert(!AE(hs, hj) || hcnt[hs*4 + hj] <= 1); /* anon-exclusive */
            hsum = hsum + MC(hs, hj)
         :: else ->
            assert(MC(hs, hj) == 0 && AE(hs, hj) == 0)  /* pages j >= nr hold zeros */
         fi
       }
       assert(fr[hs] == hsum)                            /* refcount */
    :: else ->
       assert(fa[hs] == 0 && fm[hs] == 0 && fr[hs] == 0) /* refcount: unused is zero */
#ifdef TUPLE
       ; assert(ft[hs] == 0)
#endif
    fi
  }
#if PINS > 0
  for (hk : 0 .. PINS-1) {
    if
    :: pa[hk] != 0 && (pb[hk] & 128) ->
       hv = pte[((pa[hk] >> 1) & 1)*VA + (pa[hk] >> 2)];
       assert(hv != 0 && PSLOT(hv) == (pb[hk] & 31) && PPAGE(hv) == ((pb[hk] >> 5) & 3)) /* pin-coherent */
    :: else -> skip
    fi
  }
#endif
#ifdef TUPLE
  /* tuples: distinct (mm, page table) pairs mapping the folio; the pair of
   * pte index i is i div 4 because VA is a multiple of 4 */
  for (hs : 0 .. SLOTS-1) { htup[hs] = 0 }
  for (hi : 0 .. NPTE-1) {
    hv = pte[hi];
    if
    :: hv != 0 ->
       hfirst = 1;
       hx = hi - (hi % 4);
       do
       :: hx < hi -> if :: pte[hx] != 0 && PSLOT(pte[hx]) == PSLOT(hv) -> hfirst = 0 :: else -> skip fi; hx++
       :: else -> break
       od;
       if :: hfirst -> htup[PSLOT(hv)] = htup[PSLOT(hv)] + 1 :: else -> skip fi
    :: else -> skip
    fi
  }
  for (hs : 0 .. SLOTS-1) {
    if
    :: USED(hs) -> assert(ft[hs] == htup[hs])           /* tuples */
    :: else -> skip
    fi
  }
#endif
#else
  skip
#endif
}

/* ------------------------------------------------------------- actions */

/* 1. fault(m, a): do_anonymous_page with an order-2 mTHP enabled */
#define FAULT_G(m,a) (MMEX(m) && pte[IDX(m,a)] == 0 && FREESLOT)
inline fault(m, a) {
  hx = IDX(m, (a) - ((a) % 4));
  if
  :: (pte[hx] | pte[hx+1] | pte[hx+2] | pte[hx+3]) == 0 ->
     alloc(hs, 1);
     for (hj : 0 .. 3) { pte[hx + hj] = MKPTE(hs, hj, 1) }
     fm[hs] = 85;                 /* mapcount 1 for pages 0..3 */
     fa[hs] = fa[hs] | 60;        /* ae for pages 0..3 */
     fr[hs] = 4;
     SETTUP(hs, 1)
  :: else ->
     newsmall(hs, IDX(m,a), 1)
  fi
}

/* 2. zap(m, a, n): MADV_DONTNEED of an aligned range */
#define ZAP_G1(m,a) (MMEX(m) && pte[IDX(m,a)] != 0)
#define ZAP_G2(m,a) (MMEX(m) && (pte[IDX(m,a)] | pte[IDX(m,a)+1]) != 0)
#define ZAP_G4(m,a) (MMEX(m) && (pte[IDX(m,a)] | pte[IDX(m,a)+1] | pte[IDX(m,a)+2] | pte[IDX(m,a)+3]) != 0)
inline zap(m, a, n) {
#ifdef TUPLE
  /* naive decrement: one per batch the range holds, counted before clearing */
  for (hx : IDX(m,a) .. IDX(m,a) + (n) - 1) {
    hv = pte[hx];
    if
    :: hv != 0 ->
       if
       :: hx > IDX(m,a) && pte[hx-1] != 0 && PSLOT(pte[hx-1]) == PSLOT(hv) && PPAGE(pte[hx-1]) + 1 == PPAGE(hv) -> skip
       :: else -> ft[PSLOT(hv)] = ft[PSLOT(hv)] - 1
       fi
    :: else -> skip
    fi
  }
#endif
  hmask = 0;
  for (hx : IDX(m,a) .. IDX(m,a) + (n) - 1) {
    hv = pte[hx];
    if
    :: hv != 0 ->
       hs = PSLOT(hv); hj = PPAGE(hv);
       fm[hs] = fm[hs] - (1 << (2*hj));
       fr[hs] = fr[hs] - 1;
       pte[hx] = 0;
#if PINS > 0
       for (hk : 0 .. PINS-1) {
         if
         :: pa[hk] == PKEY(m, hx - IDX(m,0)) -> pb[hk] = pb[hk] & 127
         :: else -> skip
         fi
       }
#endif
       hmask = hmask | (1 << hs)
    :: else -> skip
    fi
  }
  for (hs : 0 .. SLOTS-1) {
    if
    :: (hmask >> hs) & 1 -> put(hs)
    :: else -> skip
    fi
  }
}

/* fork is enabled only if every copy it must make finds a free slot
 * ("if no slot is free the action is not enabled"); NC(a): pte[0][a] maps an
 * exclusive page of a pinned folio, so the child gets a copy */
#define NC(a) ((pte[a] != 0 && AE(PSLOT(pte[a]), PPAGE(pte[a])) && PINC(PSLOT(pte[a])) > 0) -> 1 : 0)
#define NC4(a0,a1,a2,a3) + NC(a0) + NC(a1) + NC(a2) + NC(a3)
#define NEEDCOPIES (0 NC4(0,1,2,3) T1(NC4(4,5,6,7)) T2(NC4(8,9,10,11)) T3(NC4(12,13,14,15)))
#define FORK_G (!mm1 && NEEDCOPIES <= FREECOUNT)

/* 3. fork(): copy_page_range -> copy_present_pte; pinned exclusive pages are
 * copied at once (copy_present_page), everything else is shared read-only */
inline fork() {
  mm1 = 1;
  hmask = 0;                      /* bit a: pte[1][a] shares the parent's page */
  for (hx : 0 .. VA-1) {
    hv = pte[hx];
    if
    :: hv != 0 ->
       hs = PSLOT(hv); hj = PPAGE(hv);
       if
       :: AE(hs, hj) && PINC(hs) > 0 ->
          assert(FREESLOT);        /* FORK_G made sure */
          newsmall(ht, IDX(1, hx), 1)
       :: else ->
          fa[hs] = fa[hs] & (255 - (1 << (2 + hj)));
          fm[hs] = fm[hs] + (1 << (2*hj));
          fr[hs] = fr[hs] + 1;
          pte[hx] = hv & 254;
          pte[IDX(1, hx)] = hv & 254;
          hmask = hmask | (1 << hx)
       fi
    :: else -> skip
    fi
  }
#ifdef TUPLE
  /* plus one per batch of mm 1 that maps shared pages */
  for (hx : 0 .. VA-1) {
    hv = pte[IDX(1, hx)];
    if
    :: (hmask >> hx) & 1 ->
       if
       :: hx % 4 != 0 && ((hmask >> (hx-1)) & 1) && PSLOT(pte[IDX(1, hx-1)]) == PSLOT(hv) && PPAGE(pte[IDX(1, hx-1)]) + 1 == PPAGE(hv) -> skip
       :: else -> ft[PSLOT(hv)] = ft[PSLOT(hv)] + 1
       fi
    :: else -> skip
    fi
  }
#endif
}

/* 4. wp(m, a): do_wp_page on a write-protected present PTE */
#define WP_OK(v)   (AE(PSLOT(v), PPAGE(v)) || (!LARGEF(PSLOT(v)) && fr[PSLOT(v)] == 1) || FREESLOT)
#define WP_G(m,a)  (pte[IDX(m,a)] != 0 && !PW(pte[IDX(m,a)]) && WP_OK(pte[IDX(m,a)]))
inline wp(m, a) {
  hv = pte[IDX(m,a)];
  hs = PSLOT(hv); hj = PPAGE(hv);
  if
  :: AE(hs, hj) -> pte[IDX(m,a)] = hv | 1
  :: else ->
     if
     :: !LARGEF(hs) && fr[hs] == 1 -> fa[hs] = fa[hs] | 4; pte[IDX(m,a)] = hv | 1
     :: else -> cowcopy(IDX(m,a), 1)
     fi
  fi
}

/* 5. pin(m, a): a read-only FOLL_LONGTERM pin, unsharing first if needed */
#define PIN_G(m,a) (PINROOM && MMEX(m) && pte[IDX(m,a)] != 0 && NOPIN(m,a) && WP_OK(pte[IDX(m,a)]))
inline pin(m, a) {
  hv = pte[IDX(m,a)];
  hs = PSLOT(hv); hj = PPAGE(hv);
  if
  :: AE(hs, hj) -> skip
  :: else ->
     if
     :: !LARGEF(hs) && fr[hs] == 1 -> fa[hs] = fa[hs] | 4
     :: else -> cowcopy(IDX(m,a), 0); hs = ht; hj = 0
     fi
  fi;
  fa[hs] = fa[hs] + 64;           /* pincount++ */
  fr[hs] = fr[hs] + 1;
  hk = 0;
  do
  :: pa[hk] != 0 -> hk++
  :: else -> break
  od;
  pa[hk] = PKEY(m, a);
  pb[hk] = hs | (hj << 5) | 128
}

/* 6. unpin(k) */
inline unpin(k) {
  hs = pb[k] & 31;
  fa[hs] = fa[hs] - 64;
  fr[hs] = fr[hs] - 1;
  pa[k] = 0;
  pb[k] = 0;
  put(hs)
}

/* ------------------------------------------------------------- scrub (BFS only) */
inline scrub() {
#ifdef BFS
  for (hi : 0 .. SLOTS*4-1) { hcnt[hi] = 0 }
  for (hi : 0 .. SLOTS-1) {
#ifdef TUPLE
    htup[hi] = 0;
#endif
#ifdef CANON
    hmap[hi] = 0; tfa[hi] = 0; tfm[hi] = 0; tfr[hi] = 0;
#ifdef TUPLE
    tft[hi] = 0;
#endif
#endif
    skip
  }
  hs = 0; ht = 0; hj = 0; hv = 0; hk = 0; hx = 0; hn = 0; hsum = 0; hnext = 0; hfirst = 0; hmask = 0;
#endif
  hi = 0   /* also gives the loops at the end of check() a target inside the d_step */
}

/* ------------------------------------------------------------- the options */
/* Each option: the enabling condition, then a label that a replay
 * (spin -t) prints, the action, canonical slots (CANON only), the invariants,
 * and the scratch reset. */
#define STR(x) #x
#define STEP(g, body) :: d_step { g -> printf(STR(body)); printf("\n"); body; canon(); check(); scrub() }

#define FAULT4(m,a0,a1,a2,a3) \
  STEP(FAULT_G(m,a0), fault(m,a0)) STEP(FAULT_G(m,a1), fault(m,a1)) \
  STEP(FAULT_G(m,a2), fault(m,a2)) STEP(FAULT_G(m,a3), fault(m,a3))
#define ZAP1x4(m,a0,a1,a2,a3) \
  STEP(ZAP_G1(m,a0), zap(m,a0,1)) STEP(ZAP_G1(m,a1), zap(m,a1,1)) \
  STEP(ZAP_G1(m,a2), zap(m,a2,1)) STEP(ZAP_G1(m,a3), zap(m,a3,1))
#define ZAP2x2(m,a0,a2) \
  STEP(ZAP_G2(m,a0), zap(m,a0,2)) STEP(ZAP_G2(m,a2), zap(m,a2,2))
#define ZAP4(m,a0) \
  STEP(ZAP_G4(m,a0), zap(m,a0,4))
#define WP4(m,a0,a1,a2,a3) \
  STEP(WP_G(m,a0), wp(m,a0)) STEP(WP_G(m,a1), wp(m,a1)) \
  STEP(WP_G(m,a2), wp(m,a2)) STEP(WP_G(m,a3), wp(m,a3))
#define PIN4(m,a0,a1,a2,a3) \
  STEP(PIN_G(m,a0), pin(m,a0)) STEP(PIN_G(m,a1), pin(m,a1)) \
  STEP(PIN_G(m,a2), pin(m,a2)) STEP(PIN_G(m,a3), pin(m,a3))

/* per mm, per page table (addresses 4q .. 4q+3) */
#if VA > 16 || VA % 4 != 0
#error VA must be 4, 8, 12 or 16
#endif
#if VA > 4
#define T1(X) X
#else
#define T1(X)
#endif
#if VA > 8
#define T2(X) X
#else
#define T2(X)
#endif
#if VA > 12
#define T3(X) X
#else
#define T3(X)
#endif

#define FAULTS(m) FAULT4(m,0,1,2,3) T1(FAULT4(m,4,5,6,7)) T2(FAULT4(m,8,9,10,11)) T3(FAULT4(m,12,13,14,15))
#define ZAPS(m) \
  ZAP1x4(m,0,1,2,3) T1(ZAP1x4(m,4,5,6,7)) T2(ZAP1x4(m,8,9,10,11)) T3(ZAP1x4(m,12,13,14,15)) \
  ZAP2x2(m,0,2) T1(ZAP2x2(m,4,6)) T2(ZAP2x2(m,8,10)) T3(ZAP2x2(m,12,14)) \
  ZAP4(m,0) T1(ZAP4(m,4)) T2(ZAP4(m,8)) T3(ZAP4(m,12))
#define WPS(m) WP4(m,0,1,2,3) T1(WP4(m,4,5,6,7)) T2(WP4(m,8,9,10,11)) T3(WP4(m,12,13,14,15))
#define PINSOPT(m) PIN4(m,0,1,2,3) T1(PIN4(m,4,5,6,7)) T2(PIN4(m,8,9,10,11)) T3(PIN4(m,12,13,14,15))

/* Options in the order docs/bench-core.md "Order of exploration" fixes
 * (fault, zap, fork, wp, pin, unpin; m before a; zap by n, then a), the
 * order foliocheck enumerates actions in, so that breadth-first searches of
 * both meet states in the same order. */
active proctype P() {
  do
  FAULTS(0) FAULTS(1)
  ZAPS(0) ZAPS(1)
  STEP(FORK_G, fork())
  WPS(0) WPS(1)
#if PINS > 0
  PINSOPT(0) PINSOPT(1)
  STEP(pa[0] != 0, unpin(0))
#endif
#if PINS > 1
  STEP(pa[1] != 0, unpin(1))
#endif
#if PINS > 2
  STEP(pa[2] != 0, unpin(2))
#endif
  od
}
