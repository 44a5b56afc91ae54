import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server (src/http/web/static.ts) serves web/dist at `/`. `npx vite web` (run from the repository root) proxies the APIs to a local server.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8065', '/plugins': 'http://127.0.0.1:8065' },
  },
});
