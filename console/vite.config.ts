import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console is served by the gateway under /app (same origin as /graphql), so every asset URL
// starts with /app/ and the build lands in console/dist, which the gateway serves (src/server/console.ts).
export default defineConfig({
  root: __dirname,
  base: "/app/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  // `vite` for development: the gateway on :4000 answers /graphql (HTTP and WebSocket)
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:4000", ws: true } },
  },
});
