export declare function renderDiagnosticsDoc(): string;
