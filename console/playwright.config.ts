import { defineConfig } from '@playwright/test'

/**
 * Browser tests against the embedded platform, which the global setup starts with the built
 * console (run `npm run build` first; `npm run test:e2e` does). The browser is Debian's Chromium
 * (never one Playwright downloads): CHROMIUM_PATH moves it. ONESTOP_E2E_CONSOLE_URL points the
 * browser at another server of the console (such as `vite preview`, which proxies /api).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/support/global-setup.ts',
  outputDir: 'test-results/artifacts',
  // One platform, whose people and authenticator codes the specs share: one worker.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
})
