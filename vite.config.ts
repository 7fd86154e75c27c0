/**
 * The staff pages (src/web) built into static files that the server serves at / (src/modules/web),
 * and the debtor's React pages (src/web/debtor): the mediation room at /portal/room, the plan at /portal/plan.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    rollupOptions: { input: { staff: 'src/web/index.html', debtor: 'src/web/debtor/index.html' } },
    // Ant Design and ECharts are large; the pages load them once from this server, never from a CDN.
    chunkSizeWarningLimit: 2048,
  },
});
