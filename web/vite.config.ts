import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` (scripts/dev.mjs) starts the API on API_PORT and Vite in front of it.
const apiPort = process.env.API_PORT ?? "3001";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: "react-aria",
              test: /node_modules[\\/](react-aria|react-aria-components|react-stately|@react-[a-z]+|@internationalized)[\\/]/,
            },
            { name: "phone", test: /node_modules[\\/]libphonenumber-js[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
      "/healthz": `http://127.0.0.1:${apiPort}`,
    },
  },
});
