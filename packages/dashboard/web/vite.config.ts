// Builds the browser app into dist/web, which the service serves at `/` (see src/index.ts).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/public'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Hashed names under assets/ are what serveDashboard marks immutable.
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
  },
});
