/**
 * The drawing area: white strokes on black (MNIST's colours), drawn with pointer events so a mouse, a pen and a
 * finger all work; `touch-action: none` in the stylesheet keeps a finger from scrolling the page instead.
 */
export class DrawPad {
  private readonly ctx: CanvasRenderingContext2D;
  /** The pointer drawing the current stroke: a second finger (or a resting palm) meanwhile draws nothing. */
  private pointer: number | null = null;
  private last: { x: number; y: number } | null = null;
  private strokes = 0;

  /** @param lineWidth in canvas pixels: 22 on 280 gives strokes about as thick as MNIST's once scaled to 20 × 20. */
  constructor(private readonly canvas: HTMLCanvasElement, private readonly onChange: () => void, private readonly lineWidth = 22) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('this browser cannot draw on a canvas');
    this.ctx = ctx;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    canvas.addEventListener('lostpointercapture', (e) => this.up(e));
  }

  /** True before the first stroke (and after `clear`). */
  get empty(): boolean {
    return this.strokes === 0;
  }

  /** The drawing as RGBA bytes, canvas size. */
  pixels(): { rgba: Uint8ClampedArray; width: number; height: number } {
    const img = this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
    return { rgba: img.data, width: img.width, height: img.height };
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    // Cleared mid-stroke (Clear pressed from the keyboard while the mouse draws): the rest of that stroke is a drawing.
    this.strokes = this.pointer === null ? 0 : 1;
    this.onChange();
  }

  /** Pointer position in canvas pixels (the canvas may be shown at another size). */
  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    if (this.pointer !== null) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.pointer = e.pointerId;
    this.strokes++;
    this.last = this.at(e);
    // A click or a tap is a dot (a line of no length draws nothing), so what is classified is what is shown.
    this.dot(this.last);
    this.onChange();
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.pointer || this.last === null) return;
    e.preventDefault();
    // Coalesced events keep fast strokes smooth where the browser batches them.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) {
      const p = this.at(ev);
      this.segment(this.last, p);
      this.last = p;
    }
    this.onChange();
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.pointer) return;
    this.pointer = null;
    this.last = null;
    this.onChange();
  }

  private dot(p: { x: number; y: number }): void {
    const c = this.ctx;
    c.fillStyle = '#fff';
    c.beginPath();
    c.arc(p.x, p.y, this.lineWidth / 2, 0, 2 * Math.PI);
    c.fill();
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.lineWidth = this.lineWidth;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(a.x, a.y);
    c.lineTo(b.x, b.y);
    c.stroke();
  }
}
