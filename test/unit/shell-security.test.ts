/**
 * The Electron shell's security settings, read from the code itself (Electron cannot run here).
 * Each audit returns its findings; the tree must have none, and every weakening listed below,
 * applied to the real source text, must produce at least one, so the audits cannot rot into no-ops.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract.js';
import { encodeBridgeArguments } from '../../electron/bridge-arguments.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp.js';
import { rendererFile } from '../../electron/renderer-protocol.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

// ---------- a little AST toolkit ----------

function parse(source: string): ts.SourceFile {
  return ts.createSourceFile('shell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function nodes<T extends ts.Node>(root: ts.Node, is: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node): void => {
    if (is(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/** Calls such as `x.method(…)` (any receiver) or `method(…)`. */
function callsOf(root: ts.Node, method: string): ts.CallExpression[] {
  return nodes(root, ts.isCallExpression).filter((c) => {
    const e = c.expression;
    return (ts.isPropertyAccessExpression(e) && e.name.text === method) || (ts.isIdentifier(e) && e.text === method);
  });
}

function receiverText(call: ts.CallExpression): string {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.expression.getText() : '';
}

function propName(p: ts.ObjectLiteralElementLike): string | null {
  if (!p.name) return null;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
  return null;
}

function isFn(n: ts.Node | undefined): n is ts.ArrowFunction | ts.FunctionExpression {
  return n !== undefined && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));
}

/** What a function gives back: the concise body, or each `return` expression of its own body. */
function returned(fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) out.push(n.expression ?? ts.factory.createIdentifier('undefined'));
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

function unwrap(e: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e;
}

/** The statements a function always runs (top level of its body, or its concise body). */
function unconditional(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(fn.body)) return [unwrap(fn.body)];
  return fn.body.statements.filter(ts.isExpressionStatement).map((s) => unwrap(s.expression));
}

function isCallTo(e: ts.Expression, callee: string, args?: string[]): boolean {
  return ts.isCallExpression(e) && e.expression.getText() === callee && (args === undefined || e.arguments.map((a) => a.getText()).join(',') === args.join(','));
}

function functionNamed(sf: ts.SourceFile, name: string): ts.FunctionDeclaration | undefined {
  return nodes(sf, ts.isFunctionDeclaration).find((f) => f.name?.text === name);
}

/** A callback argument, or the body of the function declaration it calls (`(a, b) => guard(b)`). */
function reachable(sf: ts.SourceFile, fn: ts.Node): ts.Node[] {
  const out: ts.Node[] = [fn];
  for (const call of nodes(fn, ts.isCallExpression)) {
    if (ts.isIdentifier(call.expression)) {
      const decl = functionNamed(sf, call.expression.text);
      if (decl) out.push(decl);
    }
  }
  return out;
}

function importsFrom(sf: ts.SourceFile, name: string, module: string): boolean {
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === module &&
      s.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === name && !e.propertyName),
  );
}

// ---------- audits ----------

const MUST_BE: Record<string, 'true' | 'false'> = {
  contextIsolation: 'true',
  sandbox: 'true',
  nodeIntegration: 'false',
  webSecurity: 'true',
};
const FALSE_IF_PRESENT = ['nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'webviewTag', 'experimentalFeatures'];
const NEVER = ['enableBlinkFeatures', 'disableBlinkFeatures', 'additionalPermissions'];
const SAFE_SCHEME_PRIVILEGES = new Set(['standard', 'secure', 'corsEnabled', 'supportFetchAPI', 'stream', 'codeCache']);

function auditWebPreferences(options: ts.Expression, problems: string[]): void {
  if (!ts.isObjectLiteralExpression(options)) return void problems.push('BrowserWindow options are not an object literal, so they cannot be checked.');
  if (options.properties.some(ts.isSpreadAssignment)) problems.push('BrowserWindow options contain a spread, which could override webPreferences.');
  const prefs = options.properties.filter((p) => propName(p) === 'webPreferences');
  const pref = prefs[0];
  if (prefs.length !== 1 || !pref || !ts.isPropertyAssignment(pref) || !ts.isObjectLiteralExpression(pref.initializer)) {
    return void problems.push('BrowserWindow needs exactly one literal webPreferences object.');
  }
  const props = pref.initializer.properties;
  if (props.some((p) => !ts.isPropertyAssignment(p))) problems.push('webPreferences may hold only plain `key: value` entries (no spread, shorthand or methods).');
  const seen = new Map<string, string>();
  for (const p of props) {
    const name = propName(p);
    if (!name) continue;
    if (seen.has(name)) problems.push(`webPreferences sets ${name} twice.`);
    seen.set(name, ts.isPropertyAssignment(p) ? p.initializer.getText() : '?');
  }
  for (const [name, value] of Object.entries(MUST_BE)) {
    if (seen.get(name) !== value) problems.push(`webPreferences.${name} must be the literal ${value} (found ${seen.get(name) ?? 'nothing'}).`);
  }
  for (const name of FALSE_IF_PRESENT) {
    if (seen.has(name) && seen.get(name) !== 'false') problems.push(`webPreferences.${name} must be false when set (found ${seen.get(name)}).`);
  }
  for (const name of NEVER) if (seen.has(name)) problems.push(`webPreferences.${name} must not be set.`);
  if (!seen.has('preload')) problems.push('webPreferences.preload is missing.');
  if (seen.get('additionalArguments') !== 'encodeBridgeArguments({ channels: CHANNEL_NAMES, events: EVENT_NAMES })') {
    problems.push('The preload must receive exactly the contract names: additionalArguments = encodeBridgeArguments({ channels: CHANNEL_NAMES, events: EVENT_NAMES }).');
  }
}

/** Every finding about main.ts; empty when the shell is as strict as it should be. */
function auditMain(source: string): string[] {
  const sf = parse(source);
  const problems: string[] = [];

  const windows = nodes(sf, ts.isNewExpression).filter((n) => n.expression.getText() === 'BrowserWindow');
  if (windows.length === 0) problems.push('No BrowserWindow is created.');
  for (const w of windows) auditWebPreferences(w.arguments?.[0] ?? ts.factory.createIdentifier('undefined'), problems);
  const prefCount = nodes(sf, ts.isPropertyAssignment).filter((p) => propName(p) === 'webPreferences').length;
  if (prefCount !== windows.length) problems.push('webPreferences appears outside the checked BrowserWindow (for example in a window-open override).');

  if (!importsFrom(sf, 'CHANNEL_NAMES', '../shared/contract.js') || !importsFrom(sf, 'EVENT_NAMES', '../shared/contract.js')) {
    problems.push('CHANNEL_NAMES and EVENT_NAMES must come from the contract (../shared/contract.js).');
  }

  const topCalls = sf.statements.filter(ts.isExpressionStatement).map((s) => s.expression);
  if (!topCalls.some((e) => isCallTo(e, 'app.enableSandbox', []))) problems.push('app.enableSandbox() is not called before the app starts.');
  const lock = sf.statements.find((s): s is ts.IfStatement => ts.isIfStatement(s) && s.expression.getText().includes('app.requestSingleInstanceLock()'));
  if (!lock || callsOf(lock, 'quit').length === 0) problems.push('The single-instance lock is missing, or a second instance does not quit.');

  // Guards on every web contents: installed from app.on('web-contents-created', …).
  const created = callsOf(sf, 'on').find((c) => receiverText(c) === 'app' && c.arguments[0]?.getText() === "'web-contents-created'");
  const guarded = created?.arguments[1] ? reachable(sf, created.arguments[1]) : [];
  const within = (method: string): ts.CallExpression[] => guarded.flatMap((n) => callsOf(n, method));
  if (!created) problems.push("The navigation and window guards are not installed from app.on('web-contents-created').");
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    const handlers = within('on').filter((c) => c.arguments[0]?.getText() === `'${event}'`);
    const ok = handlers.some((c) => {
      const fn = c.arguments[1];
      const param = isFn(fn) ? fn.parameters[0]?.name.getText() : undefined;
      return isFn(fn) && param !== undefined && unconditional(fn).some((e) => isCallTo(e, `${param}.preventDefault`, []));
    });
    if (!ok) problems.push(`${event} is not always prevented on every web contents.`);
  }
  const openHandlers = within('setWindowOpenHandler');
  const denies = (c: ts.CallExpression): boolean => {
    const fn = c.arguments[0];
    if (!isFn(fn)) return false;
    const results = returned(fn).map(unwrap);
    return (
      results.length > 0 &&
      results.every(
        (r) =>
          ts.isObjectLiteralExpression(r) &&
          r.properties.length === 1 &&
          r.properties.every((p) => propName(p) === 'action' && ts.isPropertyAssignment(p) && p.initializer.getText() === "'deny'"),
      )
    );
  };
  if (openHandlers.length === 0 || !openHandlers.every(denies)) problems.push("window.open is not always answered with { action: 'deny' }.");

  // The session: no permission, ever.
  const sessionCalls = (method: string) =>
    callsOf(sf, method).filter((c) => {
      const r = receiverText(c);
      if (r === 'session.defaultSession') return true;
      const decl = nodes(sf, ts.isVariableDeclaration).find((d) => d.name.getText() === r);
      return decl?.initializer?.getText() === 'session.defaultSession';
    });
  const request = sessionCalls('setPermissionRequestHandler');
  const requestDenies = request.length > 0 && request.every((c) => {
    const fn = c.arguments[0];
    const cb = isFn(fn) ? fn.parameters[2]?.name.getText() : undefined;
    if (!isFn(fn) || !cb) return false;
    const cbCalls = callsOf(fn, cb);
    return cbCalls.length > 0 && cbCalls.every((k) => k.arguments.length === 1 && k.arguments[0]?.kind === ts.SyntaxKind.FalseKeyword) && unconditional(fn).some((e) => isCallTo(e, cb, ['false']));
  });
  if (!requestDenies) problems.push('Permission requests are not always answered with false on the default session.');
  const check = sessionCalls('setPermissionCheckHandler');
  const checkDenies = check.length > 0 && check.every((c) => {
    const fn = c.arguments[0];
    return isFn(fn) && returned(fn).length > 0 && returned(fn).every((r) => unwrap(r).kind === ts.SyntaxKind.FalseKeyword);
  });
  if (!checkDenies) problems.push('Permission checks do not always return false on the default session.');

  // The CSP from electron/csp.ts on the session's responses and on our scheme's responses.
  if (!importsFrom(sf, 'CONTENT_SECURITY_POLICY', './csp.js')) problems.push('CONTENT_SECURITY_POLICY is not imported from ./csp.js.');
  const cspSets = nodes(sf, ts.isPropertyAssignment).filter(
    (p) => ts.isStringLiteral(p.name) && p.name.text.toLowerCase() === 'content-security-policy' && ['CONTENT_SECURITY_POLICY', '[CONTENT_SECURITY_POLICY]'].includes(p.initializer.getText()),
  );
  const onHeaders = sessionCalls('onHeadersReceived').length > 0 || callsOf(sf, 'onHeadersReceived').some((c) => receiverText(c).endsWith('.webRequest'));
  const inHeaders = callsOf(sf, 'onHeadersReceived').some((c) => cspSets.some((p) => p.pos >= c.pos && p.end <= c.end));
  if (!onHeaders || !inHeaders) problems.push('webRequest.onHeadersReceived does not set Content-Security-Policy from electron/csp.ts.');
  if (cspSets.length < 2) problems.push('The renderer scheme handler does not send the Content-Security-Policy header.');

  for (const c of callsOf(sf, 'registerSchemesAsPrivileged')) {
    for (const p of nodes(c, ts.isPropertyAssignment).filter((x) => propName(x) === 'privileges')) {
      if (!ts.isObjectLiteralExpression(p.initializer)) problems.push('Scheme privileges must be a literal object.');
      else for (const q of p.initializer.properties) {
        const name = propName(q);
        if (!name || !SAFE_SCHEME_PRIVILEGES.has(name)) problems.push(`The renderer scheme must not have the privilege ${name ?? q.getText()}.`);
      }
    }
  }
  for (const c of [...callsOf(sf, 'loadURL'), ...callsOf(sf, 'loadFile')]) {
    if (c.arguments[0]?.getText() !== 'RENDERER_ENTRY') problems.push(`The window loads ${c.arguments[0]?.getText() ?? 'nothing'} instead of RENDERER_ENTRY.`);
  }
  return problems;
}

/** Every finding about ipc.ts. */
function auditIpc(source: string): string[] {
  const sf = parse(source);
  const problems: string[] = [];
  for (const m of ['on', 'once', 'addListener', 'handleOnce']) {
    if (callsOf(sf, m).some((c) => receiverText(c) === 'ipcMain')) problems.push(`ipcMain.${m} opens a channel outside the checked handlers.`);
  }
  const handles = callsOf(sf, 'handle').filter((c) => receiverText(c) === 'ipcMain');
  if (handles.length !== 1) problems.push(`Expected one ipcMain.handle inside the loop over the contract's channels, found ${handles.length}.`);
  for (const h of handles) {
    const loop = nodes(sf, ts.isForOfStatement).find((f) => h.pos >= f.pos && h.end <= f.end);
    const loopVar = loop && ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0]?.name.getText() : undefined;
    if (!loop || loop.expression.getText() !== 'CHANNEL_NAMES' || !importsFrom(sf, 'CHANNEL_NAMES', '../shared/contract.js')) {
      problems.push('ipcMain.handle must be registered for each of the contract CHANNEL_NAMES, and only those.');
    }
    if (h.arguments[0]?.getText() !== `\`\${IPC_PREFIX}\${${loopVar}}\``) problems.push('IPC channel names must be `${IPC_PREFIX}${name}`.');
    const fn = h.arguments[1];
    const first = isFn(fn) && ts.isBlock(fn.body) ? fn.body.statements[0] : undefined;
    const eventParam = isFn(fn) ? fn.parameters[0]?.name.getText() : undefined;
    const guard =
      first && ts.isIfStatement(first) && ts.isReturnStatement(first.thenStatement) && eventParam !== undefined && nodes(first.expression, ts.isIdentifier).some((i) => i.text === eventParam);
    if (!guard) problems.push('Each IPC handler must first refuse callers that are not our page (an early return checking the event).');
    const guardFn = guard && first && ts.isIfStatement(first) ? nodes(first.expression, ts.isCallExpression)[0]?.expression.getText() : undefined;
    const decl = guardFn ? functionNamed(sf, guardFn) : undefined;
    const body = decl?.body?.getText() ?? '';
    if (!decl || !body.includes('senderFrame') || !body.includes('isRendererUrl(') || !body.includes('parent === null') || !body.includes('sender.id')) {
      problems.push('The sender check must compare the sender with our window, require its top frame, and check the frame URL with isRendererUrl.');
    }
  }
  return problems;
}

interface FakeElectron {
  requires: string[];
  exposed: [string, unknown][];
  invoked: unknown[][];
  listeners: Map<string, ((...args: unknown[]) => void)[]>;
}

async function bundlePreload(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: join(ROOT, 'electron'), sourcefile: 'preload.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

/** Runs a preload bundle against a recording stand-in for Electron's renderer API, as the sandbox would. */
function runPreload(code: string, argv: string[]): FakeElectron {
  const fake: FakeElectron = { requires: [], exposed: [], invoked: [], listeners: new Map() };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void fake.exposed.push([key, api]) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        fake.invoked.push(args);
        return Promise.resolve({ ok: true, value: {} });
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => {
        fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), listener]);
      },
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
        fake.listeners.set(channel, (fake.listeners.get(channel) ?? []).filter((l) => l !== listener));
      },
      send: () => undefined,
      sendSync: () => undefined,
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    require: (name: string) => {
      fake.requires.push(name);
      if (name !== 'electron') throw new Error(`The sandboxed preload cannot require ${name}.`);
      return electron;
    },
    module,
    exports: module.exports,
    process: { argv },
  });
  return fake;
}

const BRIDGE_ARGV = ['/usr/lib/electron/electron', '--type=renderer', ...encodeBridgeArguments({ channels: CHANNEL_NAMES, events: EVENT_NAMES })];

/** Every finding about the preload, from what its bundle actually exposes. */
async function auditPreload(source: string): Promise<string[]> {
  const problems: string[] = [];
  const code = await bundlePreload(source);
  if (code.length > 8_000 || /zod/i.test(code)) problems.push(`The preload bundle is ${code.length} bytes${/zod/i.test(code) ? ' and contains zod' : ''}; it should hold only the bridge.`);
  const fake = runPreload(code, BRIDGE_ARGV);
  if (fake.requires.some((r) => r !== 'electron')) problems.push(`The preload requires ${fake.requires.join(', ')}.`);
  if (fake.exposed.length !== 1 || fake.exposed[0]?.[0] !== 'custos') {
    return [...problems, `The preload must expose exactly one object, window.custos; it exposed ${fake.exposed.map(([k]) => k).join(', ') || 'nothing'}.`];
  }
  const api = fake.exposed[0][1] as { channels?: Record<string, unknown>; on?: unknown };
  if (!Object.isFrozen(api)) problems.push('window.custos is not frozen.');
  const keys = Object.keys(api).sort();
  if (keys.join(',') !== 'channels,on') problems.push(`window.custos must hold exactly channels and on; it holds ${keys.join(', ')}.`);
  const channels = api.channels ?? {};
  if (!Object.isFrozen(channels)) problems.push('window.custos.channels is not frozen.');
  const exposed = Object.keys(channels).sort();
  const expected = [...CHANNEL_NAMES].sort();
  if (exposed.join(',') !== expected.join(',')) {
    const extra = exposed.filter((n) => !expected.includes(n as never));
    const missing = expected.filter((n) => !exposed.includes(n));
    problems.push(`window.custos.channels differs from the contract (extra: ${extra.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}).`);
  }
  for (const name of exposed) {
    const fn = channels[name];
    if (typeof fn !== 'function') {
      problems.push(`window.custos.channels['${name}'] is not a function.`);
      continue;
    }
    await (fn as (input: unknown, session?: string, inputAgoMs?: number) => Promise<unknown>)({ probe: name }, 'session-1', 1234);
    const last = fake.invoked.at(-1);
    if (JSON.stringify(last) !== JSON.stringify([`custos:${name}`, { probe: name }, 'session-1', 1234])) {
      problems.push(`window.custos.channels['${name}'] does not invoke custos:${name} with its input, session and input age.`);
    }
  }
  if (typeof api.on !== 'function') return [...problems, 'window.custos.on is not a function.'];
  const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
  for (const event of EVENT_NAMES) {
    const got: unknown[] = [];
    const off = on(event, (p) => got.push(p));
    const relays = () => fake.listeners.get('custos:event') ?? [];
    for (const relay of relays()) {
      relay({}, 'some.other', 1);
      relay({}, event, 2);
    }
    if (JSON.stringify(got) !== '[2]') problems.push(`on('${event}') does not deliver exactly that event's payloads.`);
    off();
    if (relays().length !== 0) problems.push(`The unsubscribe returned by on('${event}') leaves a listener behind.`);
  }
  let threw = false;
  try {
    on('no.suchEvent', () => undefined);
  } catch {
    threw = true;
  }
  if (!threw) problems.push('on() accepts an event the contract does not have.');
  return problems;
}

/** Every finding about a Content-Security-Policy string. */
function auditCsp(policy: string, opts: { meta?: boolean } = {}): string[] {
  const problems: string[] = [];
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    if (!name) continue;
    if (directives.has(name.toLowerCase())) problems.push(`The CSP repeats ${name}.`);
    directives.set(name.toLowerCase(), sources);
  }
  const exactly = (name: string, value: string): void => {
    const got = directives.get(name);
    if (!got || got.join(' ') !== value) problems.push(`The CSP must say ${name} ${value} (it says ${got?.join(' ') ?? 'nothing'}).`);
  };
  exactly('default-src', "'none'");
  exactly('script-src', "'self'");
  exactly('object-src', "'none'");
  exactly('base-uri', "'none'");
  if (!opts.meta) {
    // frame-ancestors is ignored in a <meta> tag, so only the header must carry it.
    exactly('frame-ancestors', "'none'");
    exactly('form-action', "'none'");
  }
  for (const [name, sources] of directives) {
    for (const s of sources) {
      const lower = s.toLowerCase();
      if (lower === "'none'" || lower === "'self'") continue;
      if (lower === 'data:' && (name === 'img-src' || name === 'font-src')) continue;
      problems.push(`The CSP allows ${s} in ${name}; only 'self', 'none' (and data: for images and fonts) are allowed.`);
    }
  }
  return problems;
}

function mutate(source: string, from: string, to: string): string {
  if (!source.includes(from)) throw new Error(`The weakening "${from}" no longer matches the source; update this test to the new wording.`);
  return source.replace(from, to);
}

// ---------- the tests ----------

describe('main.ts', () => {
  const source = read('electron/main.ts');

  it('keeps the window, the session and the app locked down', () => {
    expect(auditMain(source)).toEqual([]);
  });

  const weakenings: [string, string, string][] = [
    ['sandbox is switched off', 'sandbox: true', 'sandbox: false'],
    ['contextIsolation is dropped', 'contextIsolation: true,', ''],
    ['nodeIntegration is switched on', 'nodeIntegration: false,', 'nodeIntegration: true,'],
    ['webSecurity is switched off', 'webSecurity: true', 'webSecurity: false'],
    ['a setting comes from a variable', 'sandbox: true', 'sandbox: SANDBOX'],
    ['webPreferences gains a spread', 'webPreferences: {', 'webPreferences: { ...extraPreferences,'],
    ['the webview tag is enabled', 'webviewTag: false', 'webviewTag: true'],
    ['insecure content is allowed', 'allowRunningInsecureContent: false', 'allowRunningInsecureContent: true'],
    ['Node reaches subframes', 'nodeIntegrationInSubFrames: false', 'nodeIntegrationInSubFrames: true'],
    ['the app-wide sandbox goes', 'app.enableSandbox();', ''],
    ['window.open is allowed', "({ action: 'deny' })", "({ action: 'allow' })"],
    ['navigation is only logged', "contents.on('will-navigate', (event) => event.preventDefault());", "contents.on('will-navigate', (event) => console.log(event));"],
    ['the navigation guard is removed', "contents.on('will-navigate', (event) => event.preventDefault());", ''],
    ['webviews may attach', "contents.on('will-attach-webview', (event) => event.preventDefault());", ''],
    ['the guards are not installed on every web contents', "app.on('web-contents-created', (_event, contents) => denyLeavingTheApp(contents));", ''],
    ['a permission request is granted', 'callback(false)', 'callback(true)'],
    ['a permission check is granted', 'setPermissionCheckHandler(() => false)', 'setPermissionCheckHandler(() => true)'],
    ['the CSP header is dropped from webRequest', "callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });", 'callback({ responseHeaders: details.responseHeaders });'],
    ['the scheme handler stops sending the CSP', "'Content-Security-Policy': CONTENT_SECURITY_POLICY,", ''],
    ['the renderer scheme bypasses the CSP', 'corsEnabled: true }', 'corsEnabled: true, bypassCSP: true }'],
    ['the single-instance lock goes', 'if (app.requestSingleInstanceLock()) start();', 'start();'],
    ['a remote page is loaded', 'win.loadURL(RENDERER_ENTRY)', "win.loadURL('https://example.com/')"],
    ['the preload is told other channel names', 'channels: CHANNEL_NAMES', "channels: ['debug.evaluate']"],
  ];
  it.each(weakenings)('notices when %s', (_label, from, to) => {
    expect(auditMain(mutate(source, from, to))).not.toEqual([]);
  });
});

describe('ipc.ts', () => {
  const source = read('electron/ipc.ts');

  it('registers exactly the contract channels, each refusing callers that are not our page', () => {
    expect(auditIpc(source)).toEqual([]);
  });

  const weakenings: [string, string, string][] = [
    ['the sender check is removed', 'if (!fromOurPage(event, target)) return NOT_OUR_PAGE;', ''],
    ['the frame URL is not checked', 'isRendererUrl(frame.url)', 'frame.url.length > 0'],
    ['an unchecked listener is added', '  const stopForwarding', "  ipcMain.on('custos:debug', () => undefined);\n  const stopForwarding"],
    ['a channel outside the contract is handled', '  const stopForwarding', "  ipcMain.handle('custos:debug.eval', () => null);\n  const stopForwarding"],
  ];
  it.each(weakenings)('notices when %s', (_label, from, to) => {
    expect(auditIpc(mutate(source, from, to))).not.toEqual([]);
  });
});

describe('preload.ts', () => {
  const source = read('electron/preload.ts');

  it('exposes a frozen window.custos with exactly the contract channels and on, and nothing of Electron', async () => {
    expect(await auditPreload(source)).toEqual([]);
  });

  const weakenings: [string, string, string][] = [
    ['ipcRenderer itself is exposed', "contextBridge.exposeInMainWorld('custos', bridge);", "contextBridge.exposeInMainWorld('custos', bridge);\ncontextBridge.exposeInMainWorld('ipc', ipcRenderer);"],
    ['a raw send is added', 'Object.freeze({ channels: Object.freeze(channels), on })', 'Object.freeze({ channels: Object.freeze(channels), on, send: ipcRenderer.send })'],
    ['an extra channel is added', 'const knownEvents', "channels['debug.eval'] = () => Promise.resolve(null);\nconst knownEvents"],
    ['the channels are not frozen', 'channels: Object.freeze(channels)', 'channels'],
    ['unsubscribe forgets to remove', 'ipcRenderer.removeListener(IPC_EVENT, relay);', ''],
    ['events are not filtered', 'if (name === event) listener(payload);', 'listener(payload);'],
    ['zod comes into the bundle', "import { decodeBridgeArguments } from './bridge-arguments.js';", "import { decodeBridgeArguments } from './bridge-arguments.js';\nimport { contract } from '../shared/contract.js';\nvoid contract;"],
  ];
  it.each(weakenings)('notices when %s', async (_label, from, to) => {
    expect(await auditPreload(mutate(source, from, to))).not.toEqual([]);
  });

  it('refuses to start without well-formed names from main', async () => {
    const code = await bundlePreload(source);
    expect(() => runPreload(code, ['/electron'])).toThrow(/expected one --custos-channels/);
    expect(() => runPreload(code, ['/electron', '--custos-channels=session.login,evil name', '--custos-events='])).toThrow(/not a dotted contract name/);
    expect(() => runPreload(code, ['/electron', ...BRIDGE_ARGV.slice(2), '--custos-channels=debug.eval'])).toThrow(/found 2/);
  });
});

describe('the Content-Security-Policy', () => {
  it('allows our own files only: no inline or eval, no remote hosts', () => {
    expect(auditCsp(CONTENT_SECURITY_POLICY)).toEqual([]);
  });

  it.each([
    ["'unsafe-inline' scripts", "script-src 'self'", "script-src 'self' 'unsafe-inline'"],
    ["'unsafe-eval'", "script-src 'self'", "script-src 'self' 'unsafe-eval'"],
    ['inline styles', "style-src 'self'", "style-src 'self' 'unsafe-inline'"],
    ['a remote host', "connect-src 'self'", "connect-src 'self' https://telemetry.example.com"],
    ['any https origin', "img-src 'self' data:", "img-src 'self' data: https:"],
    ['a wildcard default', "default-src 'none'", 'default-src *'],
    ['dropping object-src', "object-src 'none'", ''],
  ])('notices %s', (_label, from, to) => {
    expect(auditCsp(mutate(CONTENT_SECURITY_POLICY, from, to))).not.toEqual([]);
  });

  const index = join(ROOT, 'dist', 'renderer', 'index.html');
  // Skipped only when the renderer is not built (`vitest run` alone); `npm test` builds first, so CI always runs it.
  it.skipIf(!existsSync(index))('the built page has no inline script, and any CSP meta tag is as strict', () => {
    const html = readFileSync(index, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script is a file of our own').toMatch(/\bsrc="(\.\/|\/)(?!\/)/);
      expect(body?.trim()).toBe('');
    }
    for (const [, content] of html.matchAll(/<meta[^>]+http-equiv="Content-Security-Policy"[^>]+content="([^"]*)"/gi)) {
      expect(auditCsp(content ?? '', { meta: true })).toEqual([]);
    }
  });
});

describe('the renderer scheme', () => {
  const root = join(ROOT, 'dist', 'renderer');
  it('maps our URLs into dist/renderer and nothing else', () => {
    expect(rendererFile('custos://app/index.html', root)).toBe(join(root, 'index.html'));
    expect(rendererFile('custos://app/', root)).toBe(join(root, 'index.html'));
    expect(rendererFile('custos://app/cases/42', root)).toBe(join(root, 'index.html'));
    // URL parsing already folds encoded dot segments, so this one stays inside (and falls back to the page).
    expect(rendererFile('custos://app/%2e%2e/%2e%2e/package.json', root)).toBe(join(root, 'index.html'));
    expect(rendererFile('custos://app/..%2f..%2fpackage.json', root)).toBeNull();
    expect(rendererFile('custos://app/a%00b', root)).toBeNull();
    expect(rendererFile('custos://other/index.html', root)).toBeNull();
    expect(rendererFile('https://app/index.html', root)).toBeNull();
    expect(rendererFile('file:///etc/passwd', root)).toBeNull();
  });
});
