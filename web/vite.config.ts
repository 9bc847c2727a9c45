// `npm run web:build` writes the app into web/dist, which `npm start` serves; `npm run web:dev`
// serves it with hot reload on http://localhost:5173 and proxies /graphql to the gateway of a
// running `npm start`, so that the page and the API share an origin and no CORS is involved.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { RUNTIME_CONFIG_PATH, type RuntimeConfig } from './src/runtime-config.ts';

const gateway = process.env.GATEWAY_ORIGIN ?? 'http://127.0.0.1:4000';

/** In development the page calls the proxied /graphql on its own origin. */
function devRuntimeConfig(): Plugin {
  const config: RuntimeConfig = { graphqlUrl: '/graphql' };
  return {
    name: 'runtime-config',
    configureServer(server) {
      server.middlewares.use(RUNTIME_CONFIG_PATH, (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(config));
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), devRuntimeConfig()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { port: 5173, strictPort: true, proxy: { '/graphql': gateway } },
});
