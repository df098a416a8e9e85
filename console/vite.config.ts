/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

/** Where the platform's API listens in development (`scripts/up`) and under `vite preview`. */
const api = process.env.ONESTOP_API_ORIGIN ?? 'http://127.0.0.1:8000'
const proxy = { '/api': { target: api, changeOrigin: false } }

export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy },
  preview: { proxy },
  build: {
    manifest: true,
    rollupOptions: {
      output: {
        // Route-level lazy imports split the views. ECharts goes into a chunk of its own that
        // only the chart views load; the framework into one that every page shares. Element
        // Plus is left to Rollup: each view pulls only the components it imports.
        manualChunks(id) {
          if (/node_modules\/(echarts|zrender|vue-echarts)\//.test(id)) return 'echarts'
          if (/node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify)\//.test(id)) return 'vue'
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.spec.ts'],
  },
})
