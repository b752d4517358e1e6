/**
 * Stand-in types for the few Electron APIs the shell uses, for machines where the `electron` package
 * is absent (it is an optionalDependency whose binary download fails there, and npm then removes it).
 * tsconfig.base.json maps `electron` to node_modules/electron first and to this file only as a fallback,
 * so wherever Electron is installed the shell is checked against its real types. Each declaration
 * is a narrowing of the real one (electron.d.ts, Electron 38), never a widening.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebFrameMain {
  readonly url: string;
  readonly parent: WebFrameMain | null;
}

export interface WebContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): this;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

export interface WebPreferences {
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  experimentalFeatures?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
  preload?: string;
  additionalArguments?: string[];
}

export interface BrowserWindowConstructorOptions {
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  title?: string;
  show?: boolean;
  webPreferences?: WebPreferences;
}

export declare class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  readonly webContents: WebContents;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  show(): void;
  loadURL(url: string): Promise<void>;
  on(event: 'closed', listener: () => void): this;
  once(event: 'ready-to-show', listener: () => void): this;
}

export interface App {
  readonly isPackaged: boolean;
  enableSandbox(): void;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  whenReady(): Promise<void>;
  getPath(name: 'userData'): string;
  on(event: 'second-instance' | 'window-all-closed' | 'will-quit', listener: () => void): this;
  on(event: 'web-contents-created', listener: (event: PreventableEvent, contents: WebContents) => void): this;
}
export declare const app: App;

export declare const dialog: {
  showErrorBox(title: string, content: string): void;
  showOpenDialog(
    window: BrowserWindow,
    options: { title?: string; properties?: 'openFile'[]; filters?: { name: string; extensions: string[] }[] },
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
};

export interface CustomScheme {
  scheme: string;
  privileges?: { standard?: boolean; secure?: boolean; corsEnabled?: boolean };
}
export declare const protocol: {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
};

export interface HeadersReceivedDetails {
  responseHeaders?: Record<string, string[]>;
}
export interface Session {
  setPermissionRequestHandler(handler: (contents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  readonly webRequest: {
    onBeforeRequest(filter: { urls: string[] }, listener: (details: unknown, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(
      listener: (details: HeadersReceivedDetails, callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void) => void,
    ): void;
  };
}
export declare const session: { readonly defaultSession: Session };

export interface IpcMainInvokeEvent {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}
export declare const ipcMain: {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
};

export interface IpcRendererEvent {
  readonly sender: unknown;
}
export declare const ipcRenderer: {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
};

export declare const contextBridge: {
  exposeInMainWorld(apiKey: string, api: unknown): void;
};
