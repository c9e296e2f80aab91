// Preload (sandboxed, CommonJS): exposes exactly the DesktopBridge to the renderer, nothing generic.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload must be CommonJS
import electron = require('electron');
import type { DesktopBridge } from '../backend/contracts/desktop.js';

// Literal channel names: a sandboxed preload cannot require our other modules.
const { contextBridge, ipcRenderer } = electron;

const bridge = {
  session: () => ipcRenderer.invoke('tcr:session') as Promise<{ gatewayUrl: string; token: string }>,
  openExternal: (url: string) => ipcRenderer.invoke('tcr:open-external', url) as Promise<void>,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('tcrDesktop', bridge);
