import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT, IPC_PREFIX } from '../shared/bridge.js';
import { CHANNEL_NAMES } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import type { CustosApp } from './core/app.js';
import { inputAgoMs, type Dispatch } from './core/dispatch.js';
import { ipcRequestRefusal } from './ipc-limits.js';
import { isRendererUrl } from './renderer-protocol.js';

const NOT_OUR_PAGE: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Only the Custos window may call the workspace.' },
};

/**
 * Puts the dispatch behind `custos:<channel>` for every contract channel, answering only our own
 * page in `target`, and forwards core events to it. Returns the function that undoes both.
 */
export function registerIpc(custos: CustosApp, dispatch: Dispatch, target: WebContents): () => void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, (event, input: unknown, sessionId: unknown, inputAgo: unknown) => {
      if (!fromOurPage(event, target)) return NOT_OUR_PAGE;
      const refusal = ipcRequestRefusal(name, input);
      if (refusal) return refusal;
      return dispatch(name, input, { sessionId: typeof sessionId === 'string' ? sessionId : undefined, host: 'Desktop window', inputAgoMs: inputAgoMs(inputAgo) });
    });
  }
  const stopForwarding = custos.onEvent((name, payload) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT, name, payload);
  });
  return () => {
    stopForwarding();
    for (const name of CHANNEL_NAMES) ipcMain.removeHandler(`${IPC_PREFIX}${name}`);
  };
}

/** The caller must be the top frame of our window, showing our renderer (not a frame or page it was tricked into). */
function fromOurPage(event: IpcMainInvokeEvent, target: WebContents): boolean {
  const frame = event.senderFrame;
  return event.sender.id === target.id && frame !== null && frame.parent === null && isRendererUrl(frame.url);
}
