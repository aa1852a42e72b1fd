// Wires the LSP connection to the handlers. Every handler goes through `guard`, so a bug in one
// feature answers with an empty result and a log line instead of taking the server down.

import {
  CodeActionKind, CodeLensRefreshRequest, TextDocumentSyncKind, TextDocuments, ResponseError, ErrorCodes,
  type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Methods, type CompareParams, type CursorNotification, type RenderTextParams, type StatsResult, type StepAtCursorNotification } from '../protocol/index.js';
import { createAnalysisScheduler } from './analysisScheduler.js';
import { codeActions } from './codeActions.js';
import { codeLenses } from './codeLens.js';
import { compareKernels } from './compare.js';
import { complete } from './completion.js';
import { toLspDiagnostic } from './convert.js';
import type { DocumentAnalysis } from './documentAnalysis.js';
import { documentSymbols } from './documentSymbols.js';
import { foldingRanges } from './folding.js';
import { formatDocument } from './formatting.js';
import { hover } from './hover.js';
import { inlayHints } from './inlayHints.js';
import { definition, prepareRename, references, rename } from './navigation.js';
import { renderDocumentText } from './renderText.js';
import { SEMANTIC_LEGEND, semanticTokens } from './semanticTokens.js';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings.js';
import { stepIndexAtLine } from './stepLocator.js';
import { createTimelineStore } from './timelineStore.js';

export interface ServerOptions {
  /** The bundle to start simulator workers from (main.ts passes its own file); undefined: in-process. */
  readonly workerScript?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const timelines = createTimelineStore();
  let settings: Settings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  let canRefreshLenses = false;
  let canRefreshHints = false;

  const log = (message: string, error?: unknown) => {
    const detail = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : error === undefined ? '' : String(error);
    connection.console.error(`hotplug-lab: ${message}${detail ? `: ${detail}` : ''}`);
  };

  function guard<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R): (...args: P) => R {
    return (...args: P) => {
      try {
        return fn(...args);
      } catch (error) {
        log(`${name} failed`, error);
        return fallback;
      }
    };
  }

  const scheduler = createAnalysisScheduler({
    settings: () => settings,
    document: (uri) => documents.get(uri),
    workerScript: options.workerScript,
    publishDiagnostics: (result) => {
      const diagnostics = result.diagnostics.map((d) => toLspDiagnostic(d, result.positions, result.uri));
      void connection.sendDiagnostics({ uri: result.uri, version: result.version, diagnostics });
    },
    publishTimeline: (result: DocumentAnalysis) => {
      void connection.sendNotification(Methods.timeline, timelines.notificationFor(result));
      // The verdict lens and zone hints come from the simulation, which lands after the editor
      // asked for them: ask it to ask again.
      if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      if (canRefreshHints) connection.languages.inlayHint.refresh().catch(() => undefined);
    },
    failed: (uri, error) => log(`analysis of ${uri} failed`, error),
  });

  /** The analysis of the document's current version (computed now if a debounced run is pending). */
  const docFor = (uri: string) => scheduler.current(uri);

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canRefreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
      },
      serverInfo: { name: 'hotplug-lab', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration(guard('configuration', undefined, (params) => {
    const pushed = (params.settings as Record<string, unknown> | null | undefined)?.['hotplugLab'];
    const apply = (raw: unknown) => { settings = readSettings(raw, settings); scheduler.rescheduleAll(); };
    if (pushed !== undefined) apply(pushed);
    else if (canPullConfiguration) {
      connection.workspace.getConfiguration('hotplugLab').then(apply, (e: unknown) => log('workspace/configuration failed', e));
    }
  }));

  documents.onDidChangeContent((e) => scheduler.schedule(e.document.uri));
  documents.onDidClose((e) => {
    scheduler.close(e.document.uri);
    timelines.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const at = (uri: string, position: { line: number; character: number }) => {
    const doc = docFor(uri);
    return doc ? { doc, offset: doc.positions.toOffset(position) } : undefined;
  };

  connection.onHover(guard('hover', null, (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? hover(a.doc, a.offset, timelines.lastGood(a.doc.uri)) : null;
  }));
  connection.onCompletion(guard('completion', [], (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? complete(a.doc, a.offset, a.doc.analysis.timeline ?? timelines.lastGood(a.doc.uri)) : [];
  }));
  connection.onDefinition(guard('definition', null, (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? definition(a.doc, a.offset) : null;
  }));
  connection.onReferences(guard('references', [], (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? references(a.doc, a.offset, p.context.includeDeclaration) : [];
  }));
  connection.onPrepareRename(guard('prepareRename', null, (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? prepareRename(a.doc, a.offset) : null;
  }));
  connection.onRenameRequest(guard('rename', null, (p) => {
    const a = at(p.textDocument.uri, p.position);
    return a ? rename(a.doc, a.offset, p.newName) : null;
  }));
  connection.onDocumentSymbol(guard('documentSymbol', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? documentSymbols(doc) : [];
  }));
  connection.onFoldingRanges(guard('foldingRange', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? foldingRanges(doc) : [];
  }));
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] }, (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? semanticTokens(doc) : { data: [] };
  }));
  connection.onDocumentFormatting(guard('formatting', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? formatDocument(doc) : [];
  }));
  connection.onCodeAction(guard('codeAction', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? codeActions(doc, p.context.diagnostics) : [];
  }));
  connection.onCodeLens(guard('codeLens', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? codeLenses(doc, timelines.lastGoodHead(doc.uri)) : [];
  }));

  connection.languages.inlayHint.on(guard('inlayHint', [], (p) => {
    const doc = docFor(p.textDocument.uri);
    return doc ? inlayHints(doc, p.range, timelines.lastGood(doc.uri)) : [];
  }));

  connection.onNotification(Methods.cursor, guard('cursor', undefined, (p: CursorNotification) => {
    const doc = docFor(p.uri);
    if (!doc) return;
    const step = stepIndexAtLine(doc.analysis.file, doc.analysis.timeline ?? timelines.lastGood(doc.uri), p.line);
    const reply: StepAtCursorNotification = { uri: doc.uri, version: doc.version, step };
    void connection.sendNotification(Methods.stepAtCursor, reply);
  }));

  connection.onRequest(Methods.compare, async (p: CompareParams) => {
    try {
      const doc = documents.get(p.uri);
      if (!doc) return new ResponseError(ErrorCodes.InvalidParams, `${p.uri} is not open.`);
      return await compareKernels(doc.getText(), p.kernels, options.workerScript);
    } catch (error) {
      log('compare failed', error);
      return new ResponseError(ErrorCodes.InternalError, 'compare failed; see the server log.');
    }
  });

  connection.onRequest(Methods.renderText, async (p: RenderTextParams) => {
    try {
      return renderDocumentText(await scheduler.simulated(p.uri), p.uri);
    } catch (error) {
      log('renderText failed', error);
      return '';
    }
  });

  // Memory of this process, for the heap-after-storm test (docs/robustness.md). A full GC first
  // when node exposes it (--expose-gc), so the figure is what is still reachable.
  connection.onRequest(Methods.stats, guard('stats', null, (): StatsResult => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (typeof gc === 'function') gc();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, collected: typeof gc === 'function', documents: documents.keys().length };
  }));

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
  connection.listen();
}
