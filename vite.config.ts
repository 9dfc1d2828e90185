import { defineConfig } from 'vite'

// The dev server proxies the API and Socket.IO (WebSocket included) to the Fastify server
// started by `npm run dev`; `changeOrigin` stays off so the Origin check sees the page's host.
const api = process.env.HUBBUB_DEV_API ?? 'http://127.0.0.1:3001'

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022'
  },
  server: {
    proxy: {
      '/api': { target: api },
      '/socket.io': { target: api, ws: true },
      '/healthz': { target: api },
      '/readyz': { target: api }
    }
  }
})
