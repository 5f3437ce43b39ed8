import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against a running Pathshala (API + built SPA). This config never starts a
 * server and never downloads a browser: the Makefile starts the backend on E2E_BASE_URL with a
 * fresh database and an admin, and Debian's Chromium is used (CHROMIUM_PATH to override).
 * Run with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 (the npm scripts set it).
 */
const baseURL = process.env.E2E_BASE_URL || 'http://127.0.0.1:5055';

export default defineConfig({
  testDir: './e2e',
  // Traces and failure screenshots go beside the run's artifacts, so parallel runs stay apart.
  outputDir: process.env.E2E_ARTIFACTS_DIR ? `${process.env.E2E_ARTIFACTS_DIR}/test-results` : './test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: process.env.E2E_ARTIFACTS_DIR ? `${process.env.E2E_ARTIFACTS_DIR}/report` : 'playwright-report' }]],
  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } },
    },
  ],
});
