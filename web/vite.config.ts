import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` (scripts/dev.mjs) starts the API on API_PORT and Vite in front of it.
const apiPort = process.env.API_PORT ?? "3001";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      "/api": { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
      "/healthz": `http://127.0.0.1:${apiPort}`,
    },
  },
});
