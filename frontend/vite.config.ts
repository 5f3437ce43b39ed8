/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = process.env.VITE_DEV_BACKEND ?? 'http://127.0.0.1:5000';

export default defineConfig({
  plugins: [react()],
  // The repo-root .env holds every VITE_* variable (see .env.example).
  envDir: '..',
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/health': { target: backend, changeOrigin: false },
      // Signed lesson video (playlists and segments) and the /content/video redirect.
      '/media': { target: backend, changeOrigin: false },
      '/content': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // jsdom renders of whole Mantine forms take seconds on a busy 2-core machine.
    testTimeout: 20_000,
  },
});
