/**
 * The only bridge between the sandboxed page and the main process: `window.custos`, holding exactly
 * the contract's channels and `on`. Nothing of Electron or Node (no ipcRenderer, no require) crosses it.
 * Bundled by esbuild to dist/electron/preload.cjs; the names arrive as renderer arguments from main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_PREFIX, type CustosBridge } from '../shared/bridge.js';
import { decodeBridgeArguments } from './bridge-arguments.js';

// The sandboxed preload's `process` is a small object that does carry argv (Electron's sandbox docs).
declare const process: { argv: string[] };

const names = decodeBridgeArguments(process.argv);

const channels: Record<string, (input: unknown, sessionId?: string, inputAgoMs?: number) => Promise<unknown>> = {};
for (const name of names.channels) {
  const ipcName = `${IPC_PREFIX}${name}`;
  channels[name] = (input, sessionId, inputAgoMs) => ipcRenderer.invoke(ipcName, input, sessionId, inputAgoMs);
}

const knownEvents = new Set(names.events);

function on(event: string, listener: (payload: unknown) => void): () => void {
  if (!knownEvents.has(event)) throw new Error(`There is no Custos event named ${event}.`);
  const relay = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(IPC_EVENT, relay);
  // Each subscription removes exactly its own relay, so unsubscribing never silently fails.
  return () => {
    ipcRenderer.removeListener(IPC_EVENT, relay);
  };
}

// The names come from the contract at run time, so the typed shape is asserted once, here.
const bridge = Object.freeze({ channels: Object.freeze(channels), on }) as unknown as CustosBridge;

contextBridge.exposeInMainWorld('custos', bridge);
