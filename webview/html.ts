// The HTML shell lives in protocol/ (the extension serves it); re-exported for the webview side.
export { contentSecurityPolicy, renderWebviewHtml, type WebviewHtmlOptions } from '../language-server/protocol/webviewHtml.js';
