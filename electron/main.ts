// Electron main process: a thin shell that hosts the backend in a utility process and shows the control room.
// `--server` runs the backend with no window (rack machines without a plain Node install). What it decides
// beyond opening windows (paths, tray words, the alert count) lives in modules tested under plain Node.
import { app, BrowserWindow, Menu, Tray, ipcMain, nativeImage, shell, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopSessionMessage, type DesktopSessionMessage, type OpenAlertCounts } from '../backend/contracts/index.js';
import { backendLayout, ensureConfigFile, type BackendLayout } from './desktopLayout.js';
import { IPC_OPEN_EXTERNAL, IPC_SESSION } from './ipcChannels.js';
import { watchOpenAlerts } from './openAlertWatch.js';
import { trayLanguage, trayWords } from './trayText.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverMode = process.argv.includes('--server');
const backendEntry = path.join(here, '..', 'backend', 'cli', 'index.js');
const TRAY_POLL_MS = 5000;

function startBackend(layout: BackendLayout): { child: UtilityProcess; ready: Promise<DesktopSessionMessage> } {
  const args = ['server', '--config', layout.configFile, ...(serverMode ? ['--log-format', 'json'] : [])];
  const child = utilityProcess.fork(backendEntry, args, { serviceName: 'tcr-backend', stdio: 'inherit', cwd: layout.cwd, env: { ...process.env, ...layout.env } });
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
    backgroundColor: '#0b1220',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  const gatewayOrigin = new URL(session.gateway_url).origin;
  // Only the local gateway's pages may load (the gateway sends their strict CSP); nothing opens a new window.
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== gatewayOrigin) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL(new URL('/wall', session.gateway_url).toString());
  return window;
}

function createTray(resourcesDir: string, show: () => void, quit: () => void): (counts: OpenAlertCounts | null) => void {
  const icon = nativeImage.createFromPath(path.join(resourcesDir, 'icons', 'tray.png'));
  const tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon);
  const language = trayLanguage(app.getLocale());
  tray.on('click', show);
  return (counts) => {
    const words = trayWords(language, counts);
    tray.setToolTip(words.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate([{ label: words.status, enabled: false }, { type: 'separator' }, { label: words.open, click: show }, { label: words.quit, click: quit }]));
    if (counts !== null) app.setBadgeCount(counts.open);
  };
}

async function main(): Promise<void> {
  // A second start brings the running window forward instead of starting a second backend on the same port.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const configArg = process.argv.find((arg) => arg.startsWith('--config='))?.slice('--config='.length) ?? null;
  const layout = backendLayout({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, userData: app.getPath('userData') }, configArg);
  ensureConfigFile(layout);
  const backend = startBackend(layout);
  let quitting = false;
  const quit = (): void => {
    quitting = true;
    app.quit();
  };
  app.on('before-quit', () => {
    quitting = true;
    backend.child.kill();
  });
  if (serverMode) return;

  const session = await backend.ready;
  ipcMain.handle(IPC_SESSION, () => ({ gatewayUrl: session.gateway_url, token: session.token }));
  ipcMain.handle(IPC_OPEN_EXTERNAL, async (_event, url: unknown) => {
    if (typeof url === 'string' && /^https?:\/\//.test(url)) await shell.openExternal(url);
  });
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));

  let window: BrowserWindow | null = createWindow(session);
  const show = (): void => {
    if (window === null || window.isDestroyed()) window = createWindow(session);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  app.on('second-instance', show);
  const showCounts = createTray(layout.resourcesDir, show, quit);
  watchOpenAlerts({ gatewayUrl: session.gateway_url, token: session.token, everyMs: TRAY_POLL_MS, onCounts: showCounts });

  // Closing the window quits, unless the site keeps detection and alerts running behind the tray.
  window.on('close', (event) => {
    if (quitting || !session.keep_running_on_close) return;
    event.preventDefault();
    window?.hide();
  });
  app.on('window-all-closed', () => {
    if (!session.keep_running_on_close) quit();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  app.exit(1);
});
