// One lint config. Layer boundaries (ARCHITECTURE.md) are enforced here and by tsconfig `lib`/`types`.
import tseslint from 'typescript-eslint';

const noEditorOrNode = {
  patterns: [
    { group: ['vscode', 'vscode-*', 'vscode-languageserver*', 'vscode-languageclient*'], message: 'The core is pure: no editor or LSP imports.' },
    { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'The core is pure: no node imports (the CLI and server do I/O).' },
    { group: ['**/server/**', '**/cli/**', '**/protocol/**', '**/extension/**', '**/webview/**'], message: 'The core imports nothing outside itself.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-output/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['language-server/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', noEditorOrNode] } },
  {
    files: ['language-server/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', 'vscode-*', 'node:*'], message: 'protocol is JSON types only.' }, { group: ['**/server/**', '**/cli/**', '**/extension/**', '**/webview/**'], message: 'protocol depends only on core types.' }] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode', 'vscode-languageserver*', 'vscode-languageclient*', 'node:*'], message: 'The webview runs in a browser sandbox.' }, { group: ['**/server/**', '**/cli/**', '**/extension/**'], message: 'The webview talks to the extension by messages only.' }] }] },
  },
  {
    files: ['extension/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'Only the server knows the LSP server library.' }, { group: ['**/server/**', '**/cli/**', '**/webview/**'], message: 'The extension talks to the server over LSP.' }] }] },
  },
);
