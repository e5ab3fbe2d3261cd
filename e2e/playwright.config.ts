// Playwright drives the real app in Debian's Chromium against a stack started for the run (global-setup.ts).
import { defineConfig, devices } from '@playwright/test';
import { chromiumPath, e2ePorts } from '../scripts/lib/e2e-stack.mjs';

// Chosen on first load and kept in the environment, so every worker process sees the same baseURL.
const ports = await e2ePorts();

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  testIgnore: 'artifacts/**',
  outputDir: 'artifacts/test-results',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { outputFolder: 'artifacts/report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${ports.web}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          // Never a downloaded browser: Debian's Chromium (.ci/run installs it with apt).
          executablePath: chromiumPath() ?? '/usr/bin/chromium',
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-dev-shm-usage',
          ],
        },
      },
    },
  ],
});
