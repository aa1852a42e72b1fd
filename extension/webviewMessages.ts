// Messages from the webview are untrusted input: checked field by field before use.

import type { FromWebview } from '../language-server/protocol/index.js';

export function readFromWebview(raw: unknown): FromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const str = (k: string) => typeof m[k] === 'string';
  const int = (k: string) => Number.isInteger(m[k]) && (m[k] as number) >= 0;
  switch (m['type']) {
    case 'ready': return { type: 'ready' };
    case 'stepSelected': return str('uri') && int('step') ? { type: 'stepSelected', uri: m['uri'] as string, step: m['step'] as number } : undefined;
    case 'reveal':
      return str('uri') && int('line') && int('start') && int('length')
        ? { type: 'reveal', uri: m['uri'] as string, line: m['line'] as number, start: m['start'] as number, length: m['length'] as number }
        : undefined;
    case 'export': {
      const format = m['format'];
      const ok = format === 'svg' || format === 'png' || format === 'json' || format === 'text';
      return ok && str('data') ? { type: 'export', format, data: m['data'] as string } : undefined;
    }
    case 'log': return str('message') ? { type: 'log', message: m['message'] as string } : undefined;
    default: return undefined;
  }
}
