/**
 * The numbers that fix the canonical encoding of one configuration (codec.ts): where each field lies in the
 * working state (views.ts, views.generated.ts) and how many bits it takes. The codec makes one; encoder.ts and
 * decoder.ts compile its traversals from it.
 */

/** What the emitted encoder and decoder need: the layout's offsets and the codec's widths under one configuration. */
export interface CodecPlan {
  readonly mms: number;
  readonly va: number;
  readonly pt: number;
  readonly nrPt: number;
  readonly pins: number;
  readonly slots: number;
  readonly swap: number;
  readonly words: number;
  /** Layout strides and bases (views.ts). */
  readonly mmBase: number;
  readonly mmSize: number;
  readonly pteBase: number;
  readonly vmBase: number;
  readonly pmdBase: number;
  readonly expectBase: number;
  readonly folioBase: number;
  readonly folioSize: number;
  readonly folioHead: number;
  readonly mcBase: number;
  readonly pinBase: number;
  readonly swapBase: number;
  readonly nrFolios: number;
  readonly badPage: number;
  /** The kernel's `values` word: the highest content value in use (decode writes it). */
  readonly valuesWord: number;
  /** Field offsets within records (views.generated.ts), by record then field name. */
  readonly at: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Record sizes in words. */
  readonly pteWords: number;
  readonly vmWords: number;
  readonly pmdWords: number;
  readonly pageWords: number;
  readonly pinWords: number;
  readonly swapWords: number;
  /** Field widths (codec.ts). */
  readonly slotBits: number;
  readonly pageBits: number;
  readonly orderBits: number;
  readonly refBits: number;
  readonly pinBits: number;
  readonly mcBits: number;
  readonly entireBits: number;
  readonly partialBits: number;
  readonly badPageBits: number;
  readonly pinMmBits: number;
  readonly pinAddrBits: number;
  readonly pinPageBits: number;
  readonly pinFlagBits: number;
  readonly pgoffBits: number;
  readonly anonVmaBits: number;
  readonly usedBits: number;
  readonly swapBits: number;
  readonly swapUsedBits: number;
  readonly countBits: number;
  readonly valueBits: number;
  readonly kindBits: number;
  /** Whether PTEs of the zero page exist (else such a PTE is refused). */
  readonly zeroPtes: boolean;
  readonly data: boolean;
  readonly trackVm: boolean;
  readonly hasPmd: boolean;
  /** The schemes' words: name, minimum and bits, in `folio.mc` order. */
  readonly wordCodes: readonly { readonly name: string; readonly min: number; readonly bits: number }[];
  /** Lengths of the content-value and anon_vma numbering tables (a larger value overflows). */
  readonly values: number;
  readonly anonVmas: number;
}

/** Throws the codec's overflow error: the emitted code calls it where codec.ts's `bounded()` throws. */
export type Overflow = (field: string, value: number, bits: number) => never;
