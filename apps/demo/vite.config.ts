import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The demo and the API share one origin through this proxy, so the refresh cookie
// (SameSite=Strict, Path=/auth) stays first-party.
// `?mode=bff` calls the BFF (apps/bff) instead: its endpoints under /bff, its proxy under /bff-api.
const target = process.env.API_URL ?? 'http://127.0.0.1:4000';
const bff = process.env.BFF_URL ?? 'http://127.0.0.1:4100';
const proxy = {
  '/auth': { target, xfwd: true },
  // ws: the live endpoint (/api/live) is a WebSocket.
  '/api': { target, xfwd: true, ws: true },
  '/bff/': { target: bff, xfwd: true },
  '/bff-api': { target: bff, xfwd: true, ws: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});
