// Canvas helpers shared by the address map and the lanes: crisp drawing on HiDPI screens and the
// palette read from the theme's CSS variables (canvas cannot use var() itself).
import { TOKENS, tokenVar, type Palette, type Token } from './palette.js';

export function sizeCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.floor(cssWidth));
  const h = Math.max(1, Math.floor(cssHeight));
  if (canvas.width !== Math.floor(w * ratio) || canvas.height !== Math.floor(h * ratio)) {
    canvas.width = Math.floor(w * ratio);
    canvas.height = Math.floor(h * ratio);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const get = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const colours = {} as Record<Token, string>;
  for (const t of TOKENS) colours[t] = get(tokenVar(t), '#888888');
  return {
    ...colours,
    foreground: get('--hl-foreground', '#cccccc'),
    background: get('--hl-background', '#1e1e1e'),
    muted: get('--hl-muted', '#999999'),
    border: get('--hl-border', '#555555'),
    focus: get('--hl-focus', '#007fd4'),
    selection: get('--hl-selection', '#264f78'),
    font: get('--hl-font', 'sans-serif'),
  };
}

/** Cut texts by font and width: a redraw fits the same few hundred labels again (measureText
 *  was the largest cost of a step change). Bounded; cleared when full. */
const fitted = new Map<string, string>();

/** Draws text cut to `maxWidth`, with an ellipsis; nothing when not even one letter fits. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth: number): void {
  if (maxWidth < 8) return;
  const key = `${ctx.font}\u0000${Math.round(maxWidth)}\u0000${text}`;
  let cut = fitted.get(key);
  if (cut === undefined) {
    if (ctx.measureText(text).width <= maxWidth) cut = text;
    else {
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) lo = mid; else hi = mid - 1;
      }
      cut = lo > 0 ? `${text.slice(0, lo)}…` : '';
    }
    if (fitted.size > 5000) fitted.clear();
    fitted.set(key, cut);
  }
  if (cut) ctx.fillText(cut, x, y);
}

/** Diagonal hatching: burned ranges look damaged, not just differently coloured (colour-blind safe). */
export function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, colour: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  for (let i = -h; i < w; i += 7) {
    ctx.beginPath();
    ctx.moveTo(x + i, y + h);
    ctx.lineTo(x + i + h, y);
    ctx.stroke();
  }
  ctx.restore();
}
