// The timeline panel's HTML: the shared shell from protocol/ (strict CSP, nonce-checked), with a
// fresh random nonce per load from node's crypto.

import { randomBytes } from 'node:crypto';
import { renderWebviewHtml } from '../language-server/protocol/webviewHtml.js';

export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function timelineHtml(o: { cspSource: string; nonce: string; scriptUri: string; styleUri: string }): string {
  return renderWebviewHtml(o);
}
