/**
 * The desktop shell: one instance, one window, every door the renderer does not need closed.
 * All behaviour lives in electron/core behind the dispatch; this file only wires Electron to it.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, protocol, session, type WebContents } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/contract.js';
import type { GrantPurpose } from '../shared/contract/files.js';
import { encodeBridgeArguments } from './bridge-arguments.js';
import type { CustosApp } from './core/app.js';
import { createCore } from './core/create-core.js';
import { contentDisposition } from './core/files/downloads.js';
import { RENDERER_DIST } from './core/paths.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { registerIpc } from './ipc.js';
import { contentTypeOf, downloadTicketOf, RENDERER_ENTRY, RENDERER_SCHEME, rendererFile } from './renderer-protocol.js';

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs');

// Must happen before `ready`: our renderer's scheme gets a real, secure origin. corsEnabled lets
// Vite's `<script type="module" crossorigin>` load from it; nothing else is granted.
protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, corsEnabled: true } }]);
// Every renderer is sandboxed, including any a future change might create without saying so.
app.enableSandbox();

if (app.requestSingleInstanceLock()) start();
// Two processes must never open the same encrypted workspace; the running one gets focus instead.
else app.quit();

function start(): void {
  const workspaceDir = chooseWorkspace();
  const { app: custos, dispatch } = createCore(workspaceDir, { log: (err) => console.error(err) });
  custos.runsSchedule = true;
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => denyLeavingTheApp(contents));
  app.on('window-all-closed', () => app.quit());
  // Closing the app locks the workspace: a ledgered lock, a signed checkpoint, the key dropped.
  app.on('will-quit', () => custos.shutdown());

  void app.whenReady().then(async () => {
    if (existsSync(workspaceDir) && !statSync(workspaceDir).isDirectory()) {
      dialog.showErrorBox('Custos cannot open this workspace', `${workspaceDir} is a file, not a folder; start Custos with a workspace folder.`);
      app.quit();
      return;
    }
    lockDownSession();
    protocol.handle(RENDERER_SCHEME, (request) => serveRenderer(request, custos));
    const win = createWindow();
    mainWindow = win;
    // Input files come from this dialog, never from a path the page sends (electron/core/files/grants.ts).
    custos.pickFile = (purpose) => chooseFile(win, purpose);
    const unregister = registerIpc(custos, dispatch, win.webContents);
    win.on('closed', () => {
      unregister();
      custos.shutdown();
      mainWindow = null;
    });
    await win.loadURL(RENDERER_ENTRY);
  });
}

/** The app's own open dialog: one existing file, or null when the person cancels. */
async function chooseFile(win: BrowserWindow, purpose: GrantPurpose): Promise<string | null> {
  const filters = purpose === 'bundle' ? [{ name: 'Custos bundles', extensions: ['zip'] }] : [];
  const r = await dialog.showOpenDialog(win, { title: purpose === 'bundle' ? 'Choose a bundle' : 'Choose the evidence file', properties: ['openFile'], filters });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** The workspace folder: the first argument after the app itself, else one inside the user's app data. */
function chooseWorkspace(): string {
  // Switches (Chromium's, Playwright's, macOS's -psn_…) start with "-". Unpackaged, Electron runs as
  // `electron path/to/main.js …`, so the first positional argument is the script itself.
  const positional = process.argv.slice(1).filter((a) => !a.startsWith('-'));
  const given = app.isPackaged ? positional[0] : positional[1];
  return given ? resolve(given) : join(app.getPath('userData'), 'workspace');
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'Custos',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // The spell checker downloads dictionaries from the internet; this app stays offline.
      spellcheck: false,
      devTools: !app.isPackaged,
      preload: PRELOAD,
      additionalArguments: encodeBridgeArguments({ channels: CHANNEL_NAMES, events: EVENT_NAMES }),
    },
  });
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Applied to every web contents: no navigation away, no new windows, no embedded webviews. */
function denyLeavingTheApp(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** No permission is ever granted, nothing goes to the network, and every response carries our CSP. */
function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) => callback({ cancel: true }));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** Serves dist/renderer on custos://app/, with the CSP on every answer (webRequest may not see custom schemes). */
async function serveRenderer(request: Request, custos: CustosApp): Promise<Response> {
  const ticket = downloadTicketOf(request.url);
  if (ticket !== null) return serveDownload(ticket, custos);
  const file = rendererFile(request.url, RENDERER_DIST);
  if (!file) return new Response('Not found.', { status: 404 });
  if (!existsSync(file)) return new Response('The renderer is not built; run `npm run build`.', { status: 503 });
  return new Response(new Uint8Array(await readFile(file)), {
    headers: {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/** A file handed over by `files.download`: Electron's download manager asks where to save it. */
function serveDownload(ticket: string, custos: CustosApp): Response {
  const d = custos.downloads.redeem(ticket);
  if (!d || !existsSync(d.path)) return new Response('This download has expired or was already used; ask for the file again.', { status: 404 });
  const body = Readable.toWeb(createReadStream(d.path)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(d.bytes),
      'Content-Disposition': contentDisposition(d.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}
