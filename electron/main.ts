// Electron main process: a thin shell that hosts the backend in a utility process and shows the control room.
// `--server` runs the backend with no window (rack machines without a plain Node install).
import { app, BrowserWindow, ipcMain, shell, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopSessionMessage, type DesktopSessionMessage } from '../backend/contracts/index.js';
import { IPC_OPEN_EXTERNAL, IPC_SESSION } from './ipcChannels.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverMode = process.argv.includes('--server');
const backendEntry = path.join(here, '..', 'backend', 'cli', 'index.js');

function startBackend(): { child: UtilityProcess; ready: Promise<DesktopSessionMessage> } {
  const configArg = process.argv.find((arg) => arg.startsWith('--config='));
  const args = ['server', ...(configArg ? ['--config', configArg.slice('--config='.length)] : []), ...(serverMode ? ['--log-format', 'json'] : [])];
  const child = utilityProcess.fork(backendEntry, args, { serviceName: 'tcr-backend', stdio: 'inherit' });
  const ready = new Promise<DesktopSessionMessage>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      const parsed = desktopSessionMessage.safeParse(message);
      if (parsed.success) resolve(parsed.data);
    });
    child.on('exit', (code) => reject(new Error(`backend exited with code ${code}`)));
  });
  return { child, ready };
}

function createWindow(session: DesktopSessionMessage): BrowserWindow {
  const window = new BrowserWindow({
    width: 1600,
    height: 1000,
    title: 'Traffic Control Room',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  const gatewayOrigin = new URL(session.gateway_url).origin;
  // Only the local gateway's pages may load; everything else opens in the system browser or not at all.
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== gatewayOrigin) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL(session.gateway_url);
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();
  const backend = startBackend();
  app.on('before-quit', () => backend.child.kill());
  if (serverMode) return;
  const session = await backend.ready;
  ipcMain.handle(IPC_SESSION, () => ({ gatewayUrl: session.gateway_url, token: session.token }));
  ipcMain.handle(IPC_OPEN_EXTERNAL, async (_event, url: unknown) => {
    if (typeof url === 'string' && /^https?:\/\//.test(url)) await shell.openExternal(url);
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));
  createWindow(session);
  app.on('window-all-closed', () => app.quit());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  app.exit(1);
});
