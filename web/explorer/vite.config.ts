// The gateway's offline explorer: GraphiQL and its editor (Monaco, with its web workers) bundled
// into web/explorer/dist, which the gateway serves at /explorer in development. `npm run
// web:build` builds it after the web app.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/explorer/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco is one 2.8 MB module: a development tool's size, loaded from this machine.
    chunkSizeWarningLimit: 3_000,
    rolldownOptions: {
      onLog(level, log, handler) {
        // GraphiQL's React Compiler build keeps "use no memo" directives, which mean nothing once bundled.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('"use no memo"')) return;
        handler(level, log);
      },
    },
  },
});
