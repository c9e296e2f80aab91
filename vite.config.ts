// Builds the React control room into dist/renderer, served by the gateway (server mode) or loaded by Electron.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  // Absolute: pages at nested paths (/wall/<camera>) load the same assets.
  base: '/',
  plugins: [react()],
  // The control room, and the page `tcr bench e2e` renders its report's charts with.
  build: { outDir: '../dist/renderer', emptyOutDir: true, rollupOptions: { input: { main: 'renderer/index.html', report: 'renderer/report.html' } } },
});
