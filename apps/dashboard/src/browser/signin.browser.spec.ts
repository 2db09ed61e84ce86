// Smoke test of the built dashboard in headless Chromium (Debian's, driven by playwright-core): `next start` on a
// free port, the sign-in page renders with labelled inputs at 1280 and 390 px, screenshots go to
// apps/dashboard/screenshots/. No coordinator runs here: the proxy must answer a clear 502, and a sign-in attempt
// must show an error rather than hang. Builds the dashboard first when no build is there.
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium, screenshotPath, startDashboard, type Dashboard } from './harness';

describe('the dashboard in headless Chromium', () => {
  let dashboard: Dashboard | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let deadCoordinator = '';

  beforeAll(async () => {
    // A port nothing listens on: the coordinator "ensemble" is down.
    deadCoordinator = `http://127.0.0.1:${await freePort()}`;
    dashboard = await startDashboard({ COORDINATORS: deadCoordinator, DASHBOARD_API_MODE: 'proxy' });
    baseUrl = dashboard.baseUrl;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
  });

  it('serves the ensemble from the run-time environment', async () => {
    const body = await (await fetch(`${baseUrl}/runtime-config`)).json();
    expect(body).toEqual({ coordinators: [deadCoordinator], mode: 'proxy' });
  });

  it('answers 502 with the contract error body when a coordinator does not answer, and 404 off the API', async () => {
    const down = await fetch(`${baseUrl}/api/coordinators/0/api/v1/cluster`);
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect((await fetch(`${baseUrl}/api/coordinators/0/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/coordinators/7/api/v1/cluster`)).status).toBe(404);
  });

  it('sends a visitor without a session to a sign-in page with labelled inputs (1280 px)', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/cluster`);
    await page.waitForURL(/\/signin\?next=%2Fcluster/, { timeout: 15_000 });
    await expect(page.getByRole('heading', { name: 'Sign in' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Username').count()).resolves.toBe(1);
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Scoped to main: Next's route announcer is an (empty) alert region too.
    const alert = page.locator('main').getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/No coordinator answered/);
    await page.screenshot({ path: screenshotPath('signin-1280') });
    await page.close();
  }, 60_000);

  it('fits the sign-in page in a 390 px wide phone screen', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await page.goto(`${baseUrl}/signin`);
    await page.getByLabel('Username').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('signin-390') });
    await page.close();
  }, 60_000);
});
