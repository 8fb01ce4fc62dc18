import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The demo and the API share one origin through this proxy, so the refresh cookie
// (SameSite=Strict, Path=/auth) stays first-party.
const target = process.env.API_URL ?? 'http://127.0.0.1:4000';
const proxy = {
  '/auth': { target, xfwd: true },
  '/api': { target, xfwd: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});
