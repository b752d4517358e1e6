// Lint, and the layering of STYLE.md made mechanical: which folder may import what.
//   renderer/src  → shared/ and npm packages only (no Electron, no Node built-ins, no main-process code)
//   shared        → zod and other shared files only
//   electron/core → never `electron`, never the shell or the renderer
//   `electron` itself → only electron/main.ts, preload.ts and ipc.ts
// And in every domain of STORE_DOMAINS (all but bundle, demo and handlers), SQL only in the domain's *-store.ts file.
// test/unit/layering.test.ts runs these rules on the tree and on one offending import per rule.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));

const noElectron = {
  name: 'electron',
  message: 'Only electron/main.ts, preload.ts and ipc.ts may import electron; everything else stays runnable under plain Node.',
};
const noElectronSubpath = {
  regex: '^electron/',
  message: noElectron.message,
};
const noNodeBuiltins = [
  { regex: '^node:', message: 'This code runs in the browser sandbox, where Node built-ins do not exist.' },
  ...NODE_BUILTINS.map((name) => ({ regex: `^${name.replace('/', '\\/')}(/|$)`, message: 'This code runs in the browser sandbox, where Node built-ins do not exist.' })),
];
/** A relative import that climbs out into one of the given top-level folders. */
const climbingInto = (folders, message) => ({ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message });

const restricted = (paths, patterns) => ['error', { paths, patterns }];

const CORE_PATTERNS = [
  noElectronSubpath,
  climbingInto(['renderer'], 'electron/core never imports renderer code.'),
  { regex: '^(\\.\\./)+(main|ipc|preload|server|cli)\\.js$', message: 'electron/core never depends on the shell, the CLI or the loopback host; they depend on it.' },
];

// The core's domains, lowest first: each may import those before it. The kit (shared primitives,
// storage, the ledger, file formats) is below them all. The wiring (create-core.ts, wiring.ts,
// event-catalog.ts, handlers/) and the demo sit above every domain.
const KIT_FOLDERS = ['domain', 'db', 'ledger', 'fs', 'zip', 'pdf', 'files'];
const DOMAIN_ORDER = ['auth', 'cases', 'holds', 'retention', 'subjects', 'evidence', 'amendments', 'disclosures', 'subpoenas', 'compliance', 'incidents', 'alerts', 'workflows', 'privacy', 'deadlines', 'exports', 'bundle', 'schedules', 'imports', 'witness', 'reports', 'demo', 'handlers'];
/** A relative import, from inside electron/core/<folder>/, of one of the given domain folders. */
const importingDomains = (domains, message) => ({ regex: `^(\\.\\./)+(${domains.join('|')})/`, message });

// The domains whose SQL lives only in their store files (test/unit/layering.test.ts proves the rule bites).
const STORE_DOMAINS = ['holds', 'cases', 'evidence', 'subjects', 'compliance', 'amendments', 'subpoenas', 'disclosures', 'deadlines', 'exports', 'auth', 'imports', 'bundle', 'workflows', 'mfa', 'consents', 'ferpa', 'reports', 'incidents', 'retention', 'demo', 'alerts', 'privacy', 'schedules', 'witness'];


export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'out/**', '.tmp/**', 'demo-workspace/**', 'workspaces/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': restricted([noElectron], [noElectronSubpath]),
    },
  },
  {
    // Plain JavaScript here is Node tooling (start script, bin, configs); TypeScript files get globals from their types.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['electron/main.ts', 'electron/ipc.ts'],
    rules: {
      'no-restricted-imports': restricted([], [climbingInto(['renderer'], 'The main process never imports renderer code.')]),
    },
  },
  {
    // The preload runs inside the sandboxed renderer process: Electron's renderer API and shared constants only.
    files: ['electron/preload.ts'],
    rules: {
      'no-restricted-imports': restricted(
        [],
        [
          ...noNodeBuiltins,
          { regex: '^\\./(core|cli|server)(/|\\.js$)', message: 'The preload runs in the sandbox; it may not pull main-process code into it.' },
          climbingInto(['renderer'], 'The preload never imports renderer code.'),
        ],
      ),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: { 'no-restricted-imports': restricted([noElectron], CORE_PATTERNS) },
  },
  // Inside the core: the kit folders import no domain; a domain imports the kit and the domains below
  // it in DOMAIN_ORDER, never one above (test/unit/layering.test.ts proves each rule bites).
  ...KIT_FOLDERS.map((kit) => ({
    files: [`electron/core/${kit}/**/*.ts`],
    rules: {
      'no-restricted-imports': restricted([noElectron], [...CORE_PATTERNS, importingDomains(DOMAIN_ORDER, `electron/core/${kit} is part of the kit every domain uses; it imports no domain.`)]),
    },
  })),
  ...DOMAIN_ORDER.slice(0, -1).map((domain, i) => ({
    files: [`electron/core/${domain}/**/*.ts`],
    rules: {
      'no-restricted-imports': restricted(
        [noElectron],
        [
          ...CORE_PATTERNS,
          importingDomains(
            DOMAIN_ORDER.slice(i + 1),
            `electron/core/${domain} may import the kit and the domains below it (${DOMAIN_ORDER.slice(0, i).join(', ') || 'none'}), never one above it; pass what it needs in through createCore (wiring.ts) instead.`,
          ),
        ],
      ),
    },
  })),
  {
    // In these domains every SQL statement lives in the domain's store file (holds/holds-store.ts, …; not blob-store.ts),
    // prepared once per connection through db/statements.ts; service code calls the store.
    files: STORE_DOMAINS.map((domain) => `electron/core/${domain}/**/*.ts`),
    ignores: STORE_DOMAINS.map((domain) => `electron/core/${domain}/${domain}-store.ts`),
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='prepare'], CallExpression[callee.property.value='prepare']",
          message: 'SQL in this domain lives in its *-store.ts file, as a named function using prepared() from db/statements.ts.',
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': restricted(
        [noElectron],
        [
          noElectronSubpath,
          ...noNodeBuiltins,
          climbingInto(['electron', 'bench', 'scripts', 'test', 'resources', 'bin'], 'The renderer imports only shared/ and npm packages; it reaches the core through the typed client.'),
          { regex: '^/', message: 'The renderer imports only shared/ and npm packages.' },
        ],
      ),
    },
  },
  {
    // React's hook rules: a hook called conditionally is an error; a missing effect dependency a warning.
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted(
        [],
        [
          { regex: '^(?!zod(/|$))[^.]', message: 'shared/ imports nothing but zod and other shared files, so both sides can use it.' },
          climbingInto(['electron', 'renderer', 'bench', 'scripts', 'test', 'resources', 'bin'], 'shared/ imports nothing of the app, so both sides can use it.'),
        ],
      ),
    },
  },
);
