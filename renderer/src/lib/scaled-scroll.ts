/**
 * Browsers cap an element's height (Chromium near 33.5M px, Firefox near 17.9M px), so a list of
 * millions of 30 px rows cannot be laid out at full height. A ScaledScroll stands in for the real
 * scroll container in front of the virtualizer: the virtualizer sees a "virtual" container as tall
 * as every row, while the real one is at most `maxReal` px tall and its scrollbar moves
 * proportionally. Below the cap the ratio is 1 and nothing changes.
 */
export class ScaledScroll {
  private virtualHeight = 0;
  /** The last position written through scrollTo, to give back exactly what was asked (no rounding drift). */
  private lastWrite: { virtual: number; real: number } | null = null;

  constructor(
    readonly real: HTMLElement,
    private readonly maxReal: number,
  ) {}

  /** Sets the full (virtual) content height; returns the height to give the real content. */
  setVirtualHeight(h: number): number {
    if (h !== this.virtualHeight) this.lastWrite = null;
    this.virtualHeight = h;
    return this.realHeight;
  }

  get realHeight(): number {
    return Math.min(this.virtualHeight, this.maxReal);
  }

  /** Virtual pixels per real pixel of scrolling. */
  get ratio(): number {
    const c = this.real.clientHeight;
    const r = this.realHeight;
    return this.virtualHeight > r && r > c ? (this.virtualHeight - c) / (r - c) : 1;
  }

  /** What the virtualizer reads as the scroll position. */
  get scrollTop(): number {
    const real = this.real.scrollTop;
    if (this.lastWrite && Math.abs(this.lastWrite.real - real) < 1) return this.lastWrite.virtual;
    return real * this.ratio;
  }

  get scrollLeft(): number {
    return this.real.scrollLeft;
  }

  get scrollHeight(): number {
    return Math.max(this.virtualHeight, this.real.clientHeight);
  }

  get clientHeight(): number {
    return this.real.clientHeight;
  }

  get scrollWidth(): number {
    return this.real.scrollWidth;
  }

  get clientWidth(): number {
    return this.real.clientWidth;
  }

  get ownerDocument(): Document {
    return this.real.ownerDocument;
  }

  scrollTo(opts: ScrollToOptions): void {
    if (typeof opts.top !== 'number') return;
    const virtual = opts.top;
    this.real.scrollTo({ top: virtual / this.ratio, behavior: opts.behavior });
    this.lastWrite = { virtual, real: this.real.scrollTop };
  }

  addEventListener(type: string, fn: EventListenerOrEventListenerObject, opts?: AddEventListenerOptions | boolean): void {
    this.real.addEventListener(type, fn, opts);
  }

  removeEventListener(type: string, fn: EventListenerOrEventListenerObject, opts?: EventListenerOptions | boolean): void {
    this.real.removeEventListener(type, fn, opts);
  }

  /**
   * Where to draw an item that starts at `virtualStart` px, relative to the top of the real
   * content: the real scroll position plus the item's distance from the virtual viewport top.
   */
  realTopOf(virtualStart: number): number {
    return this.real.scrollTop + (virtualStart - this.scrollTop);
  }
}
