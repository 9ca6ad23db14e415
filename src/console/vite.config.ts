import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the console with hot reload and forwards the API to a server started with
// `dotnet run --project src/Agentry.Server` (override with AGENTRY_URL).
const api = process.env.AGENTRY_URL ?? "http://127.0.0.1:5170";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/v1": { target: api, changeOrigin: false } } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
