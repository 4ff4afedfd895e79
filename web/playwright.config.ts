// Browser tests: Debian's Chromium (never a downloaded browser) against a real `deskbase serve`
// on SQLite, started by e2e/fixtures/global-setup.ts on a free port.
import { defineConfig } from "@playwright/test";

export const CHROMIUM = process.env.DESKBASE_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e/specs",
  outputDir: "test-results/playwright",
  globalSetup: "./e2e/fixtures/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] },
  },
});
