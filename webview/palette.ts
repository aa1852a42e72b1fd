// Colour tokens: the view model names a meaning ("zone-movable", "hazard"), never a colour. The
// CSS maps each token to a VS Code theme variable (timeline.css, `--hl-<token>`), so light, dark
// and high-contrast themes all work and the view model stays testable in plain Node.

export const TOKENS = [
  'zone-dma', 'zone-normal', 'zone-movable', 'zone-device', 'zone-none',
  'offline', 'removed', 'absent', 'burned', 'poison',
  'hazard', 'crash', 'ok', 'fail', 'info', 'signal',
  'valid', 'zapped', 'stale', 'gone', 'region', 'empty',
] as const;

export type Token = (typeof TOKENS)[number];

/** The CSS custom property that holds a token's colour. */
export function tokenVar(token: Token): string {
  return `--hl-${token}`;
}

/** Resolved colours, one per token (render.ts reads them from computed style). */
export type Palette = Readonly<Record<Token, string>> & {
  readonly foreground: string;
  readonly background: string;
  readonly muted: string;
  readonly border: string;
  readonly focus: string;
  readonly selection: string;
  readonly font: string;
};

/** Human names for the legend; screen readers read these too. */
export const TOKEN_LABELS: Readonly<Partial<Record<Token, string>>> = {
  'zone-dma': 'ZONE_DMA/DMA32',
  'zone-normal': 'ZONE_NORMAL',
  'zone-movable': 'ZONE_MOVABLE',
  'zone-device': 'ZONE_DEVICE (dax)',
  offline: 'offline',
  removed: 'removed',
  burned: 'burned (leaked until reboot)',
  poison: 'poisoned',
  hazard: 'hazard',
  stale: 'stale mapping',
  zapped: 'zapped mapping',
};
