import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Built into web/dist, which Kairos serves at `/` (src/api/routes/dashboard-routes.ts).
// Everything is bundled: the dashboard makes no request beyond its own origin.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
});
