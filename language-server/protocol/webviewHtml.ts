// The webview's HTML shell, shared by the extension host (which serves it) and the webview tests.
// No DOM and no node here. Strict CSP: nothing runs but our nonce'd bundle, styles only from the
// extension, no inline handlers, no remote content.

export interface WebviewHtmlOptions {
  /** webview.cspSource */
  readonly cspSource: string;
  /** A fresh random nonce per load (base64/hex; the caller owns randomness). */
  readonly nonce: string;
  /** webview.asWebviewUri(dist/webview/timeline.js) */
  readonly scriptUri: string;
  /** webview.asWebviewUri(dist/webview/timeline.css) */
  readonly styleUri: string;
}

/** For double-quoted attributes only (single quotes stay readable: the CSP is full of them). */
function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A nonce may only hold base64 characters; anything else would let it break out of the CSP. */
function checkNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('renderWebviewHtml: nonce must be ≥16 base64 characters');
  return nonce;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${checkNonce(nonce)}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  const csp = escapeAttr(contentSecurityPolicy(o.cspSource.replace(/[;\r\n]/g, ''), o.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>Hotplug timeline</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="placeholder">Waiting for a timeline…</p></main>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
