// Issue #8's acceptance in headless Chromium: the built dashboard (`next start`, proxy mode) on a real 3-member
// coordinator ensemble with admin ports. Sign-in, live config edits reaching an SDK watcher, disabling a provider
// out of SDK discovery, a version conflict, a viewer's read-only pages, and the new leader shown after the old one
// is SIGKILLed. One ensemble, one dashboard, one browser for the file; screenshots go to apps/dashboard/screenshots/.
// Type-checked by apps/dashboard/tsconfig.acceptance.json (the app's tsconfig has no @zk/* paths).
import { ZooKeeperClient } from '@zk/sdk';
import { discover, registerInstance, watchConfig, type ConfigValue, type ConfigWatcher, type Registration, type ServiceCache } from '@zk/recipes';
import { useServer, waitFor, type TestMember } from '@zk/sdk/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath, startDashboard, type Dashboard } from './harness';

const ADMIN_PASSWORD = 'dashboard-acceptance-pw';
// The ensemble's members inherit the environment: this is the first admin's password.
process.env['COORDINATOR_ADMIN_PASSWORD'] = ADMIN_PASSWORD;
const VIEWER = { username: 'viewer1', password: 'viewer-pass-1' };
const TEST_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 15_000;
const NEW_LEADER_SHOWN_WITHIN_MS = 10_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One REST call to a member's platform API. */
async function call(port: number, method: string, path: string, options: { token?: string; body?: unknown; ifMatch?: number } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const submit = page.getByRole('button', { name: 'Sign in' });
  // Enabled once the page has read /runtime-config.
  await expect.poll(() => submit.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
  await submit.click();
  await page.waitForURL(/\/cluster$/, { timeout: UI_TIMEOUT_MS });
}

/** The value of the config key editor's text area, once it shows `expected`. */
async function waitForEditorValue(page: Page, expected: string): Promise<void> {
  const editor = page.getByLabel('Value', { exact: true });
  await expect.poll(() => editor.inputValue(), { timeout: UI_TIMEOUT_MS }).toBe(expected);
}

describe('the dashboard on a real 3-member ensemble, in headless Chromium', () => {
  const server = useServer('coordinator', { admin: true, tickTimeMs: 200 });
  let members: readonly TestMember[];
  let adminPort: number;
  let token: string;
  let sdk: ZooKeeperClient | undefined;
  let dashboard: Dashboard | undefined;
  let browser: Browser | undefined;
  let admin: BrowserContext | undefined;
  const cleanup: Array<() => Promise<unknown>> = [];
  // The recipes' background errors (connection loss while the leader dies, last test): kept, not printed.
  const backgroundErrors: unknown[] = [];
  const onBackgroundError = (error: unknown): void => void backgroundErrors.push(error);

  const as = (method: string, path: string, options: { body?: unknown; ifMatch?: number } = {}): Promise<Answer> => call(adminPort, method, path, { token, ...options });

  /** A page of the admin's browser context (signed in by the first test, or here if it did not run). */
  async function adminPage(viewport = DESKTOP): Promise<Page> {
    if (!admin) {
      admin = await (browser as Browser).newContext({ viewport });
      const page = await admin.newPage();
      await signIn(page, (dashboard as Dashboard).baseUrl, 'admin', ADMIN_PASSWORD);
      return page;
    }
    return admin.newPage();
  }

  beforeAll(async () => {
    const leader = await server.get().waitForLeader(30_000);
    members = server.get().members;
    adminPort = members[0].adminPort as number;
    // Each member starts its platform once it serves: wait until every one answers a login.
    for (const member of members) {
      await waitFor(async () => (await call(member.adminPort as number, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status === 200, `member ${member.id}'s platform`, 20_000, 200);
    }
    token = (await call(adminPort, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    sdk = await ZooKeeperClient.connect(server.get().connectString, { sessionTimeoutMs: 6_000 });
    // The leader first: the browser's REST calls and events socket start there, so killing it tests their failover.
    const leaderFirst = [leader, ...members.filter((member) => member !== leader)];
    dashboard = await startDashboard({ COORDINATORS: leaderFirst.map((member) => `http://127.0.0.1:${member.adminPort}`).join(','), DASHBOARD_API_MODE: 'proxy' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await dashboard?.stop();
    await sdk?.close().catch(() => undefined);
  }, 30_000);

  it('signs the admin in and lands on the cluster page', async () => {
    admin = await (browser as Browser).newContext({ viewport: DESKTOP });
    const page = await admin.newPage();
    await page.goto(`${(dashboard as Dashboard).baseUrl}/signin`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main').getByRole('alert').filter({ hasText: /^Sign-in failed: / }).waitFor({ timeout: UI_TIMEOUT_MS });
    await signIn(page, (dashboard as Dashboard).baseUrl, 'admin', ADMIN_PASSWORD);
    const header = page.getByRole('banner');
    await header.getByText('admin', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => header.locator('.who').innerText()).toMatch(/admin\s+admin/);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByTestId('leader').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: screenshotPath('signed-in') });
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('publishes a config edit made in the UI to an SDK watcher', async () => {
    const key = { namespace: 'shop', group: 'db', key: 'pool' };
    expect((await as('PUT', '/api/v1/config/shop/db/pool', { body: { value: 'maxConnections: 10\n', contentType: 'yaml' } })).status).toBe(200);
    const seen: ConfigValue[] = [];
    const watcher: ConfigWatcher = await watchConfig(sdk as ZooKeeperClient, key, (value) => seen.push(value), onBackgroundError);
    cleanup.push(async () => watcher.close());
    await waitFor(() => seen.some((value) => value.value === 'maxConnections: 10\n'), 'the watcher to read the first value');

    const page = await adminPage();
    await page.goto(`${(dashboard as Dashboard).baseUrl}/config?ns=shop&group=db&key=pool`);
    await waitForEditorValue(page, 'maxConnections: 10\n');
    await page.getByLabel('Value', { exact: true }).fill('maxConnections: 20\n');
    await page.getByRole('button', { name: /^Review changes/ }).click();
    await page.getByText('1 line(s) added, 1 removed').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Comment (optional)').fill('more connections');
    await page.getByRole('button', { name: 'Publish (if still version 0)' }).click();
    await page.getByRole('status').filter({ hasText: 'Published revision 2' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitFor(() => seen.some((value) => value.value === 'maxConnections: 20\n'), 'the SDK watcher to see the edit', UI_TIMEOUT_MS);
    expect(seen.at(-1)).toMatchObject({ value: 'maxConnections: 20\n', contentType: 'yaml', version: 1 });
    await page.screenshot({ path: screenshotPath('config-published') });
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('takes a provider disabled in the UI out of SDK discovery', async () => {
    const client = sdk as ZooKeeperClient;
    const registrations: Registration[] = ['inv-1', 'inv-2'].map((id, i) => registerInstance(client, 'inventory', { id, host: '10.4.0.1', port: 7100 + i, zone: 'z1', version: '1.4.2' }, { onError: onBackgroundError }));
    cleanup.push(() => Promise.all(registrations.map((registration) => registration.close())));
    await Promise.all(registrations.map((registration) => registration.ready()));
    const cache: ServiceCache = await discover(client, 'inventory');
    cleanup.push(() => cache.close());
    await waitFor(() => cache.instances().length === 2, 'both providers discovered');

    const page = await adminPage();
    await page.goto(`${(dashboard as Dashboard).baseUrl}/services?name=inventory`);
    await page.getByRole('heading', { name: 'Providers (2)' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Weight of inv-1', { exact: true }).fill('40');
    await page.getByRole('button', { name: 'Set weight of inv-1' }).click();
    await page.getByRole('status').filter({ hasText: 'Weight of inv-1 set to 40.' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitFor(() => cache.instances().find((instance) => instance.id === 'inv-1')?.weight === 40, 'the weight to reach SDK discovery', UI_TIMEOUT_MS);
    await page.getByRole('button', { name: 'Disable inv-1' }).click();
    await page.getByRole('status').filter({ hasText: 'inv-1 is disabled' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await waitFor(() => cache.instances().map((instance) => instance.id).join() === 'inv-2', 'inv-1 to leave SDK discovery', UI_TIMEOUT_MS);
    const row = page.locator('tr[data-provider="inv-1"]');
    await row.getByText('disabled', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await row.getByRole('button', { name: 'Enable inv-1' }).waitFor();
    // Disabled, its effective weight is 0; the field still offers the weight it will have when enabled again.
    await expect(page.getByLabel('Weight of inv-1', { exact: true }).inputValue()).resolves.toBe('40');
    await page.screenshot({ path: screenshotPath('service-provider-disabled') });
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('says someone else changed a value saved over theirs, and reloads it on request', async () => {
    expect((await as('PUT', '/api/v1/config/shop/web/banner', { body: { value: 'Welcome', contentType: 'text' } })).status).toBe(200);
    const page = await adminPage();
    await page.goto(`${(dashboard as Dashboard).baseUrl}/config?ns=shop&group=web&key=banner`);
    await waitForEditorValue(page, 'Welcome');
    await page.getByLabel('Value', { exact: true }).fill('Welcome, from the dashboard');
    await page.getByRole('button', { name: /^Review changes/ }).click();
    // Someone else saves between the page's load and its save.
    expect((await call(members[1].adminPort as number, 'PUT', '/api/v1/config/shop/web/banner', { token, body: { value: 'Welcome, from REST', contentType: 'text' } })).status).toBe(200);
    await page.getByRole('button', { name: 'Publish (if still version 0)' }).click();
    const alert = page.locator('main').getByRole('alert').filter({ hasText: 'Someone else changed this' });
    await alert.waitFor({ timeout: UI_TIMEOUT_MS });
    const reload = alert.getByRole('button', { name: 'Reload the current version' });
    await reload.waitFor();
    await page.screenshot({ path: screenshotPath('config-conflict') });
    // The stored value is theirs, untouched by the refused save.
    expect((await as('GET', '/api/v1/config/shop/web/banner')).body).toMatchObject({ value: 'Welcome, from REST', version: 1 });
    await reload.click();
    await waitForEditorValue(page, 'Welcome, from REST');
    await expect(alert.count()).resolves.toBe(0);
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('shows a viewer everything but no change controls, and says why (also at 390 px)', async () => {
    expect((await as('POST', '/api/v1/users', { body: { ...VIEWER, role: 'viewer' } })).status).toBe(201);
    const viewer = await (browser as Browser).newContext({ viewport: DESKTOP });
    cleanup.push(() => viewer.close());
    const page = await viewer.newPage();
    await signIn(page, (dashboard as Dashboard).baseUrl, VIEWER.username, VIEWER.password);
    const note = page.getByRole('note').filter({ hasText: 'You are signed in as a viewer' });

    await page.goto(`${(dashboard as Dashboard).baseUrl}/config?ns=shop&group=db&key=pool`);
    await waitForEditorValue(page, 'maxConnections: 20\n');
    await note.waitFor({ timeout: UI_TIMEOUT_MS });
    // History loaded (so its rows' buttons are there to be missing).
    await page.getByRole('cell', { name: 'more connections' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await expect(page.getByLabel('Value', { exact: true }).getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByLabel('Content type').isDisabled()).resolves.toBe(true);
    for (const name of [/^Review changes/, /^Delete key/, /^Roll back/, /^Send the editor/, /^New key/]) await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    for (const label of ['New namespace', 'Import a file']) await expect(page.getByLabel(label).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('viewer-config') });

    await page.setViewportSize(PHONE);
    await page.goto(`${(dashboard as Dashboard).baseUrl}/services?name=inventory`);
    await page.getByRole('heading', { name: /^Providers/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    await note.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect(page.getByRole('button', { name: /^(Disable|Enable|Set weight|Save policy)/ }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Strategy').isDisabled()).resolves.toBe(true);
    const overflowPx = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflowPx).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('viewer-services-390') });
    // The API refuses what the UI does not offer.
    const viewerToken = (await call(adminPort, 'POST', '/api/v1/auth/login', { body: VIEWER })).body.token as string;
    expect((await call(adminPort, 'PUT', '/api/v1/services/inventory/overrides/inv-2', { token: viewerToken, body: { disabled: true } })).status).toBe(403);
  }, TEST_TIMEOUT_MS);

  // Last: it leaves the ensemble with two members.
  it('names the leader, and shows the new one within 10 s of the leader being SIGKILLed, without a reload', async () => {
    const leader = await server.get().waitForLeader(10_000);
    const page = await adminPage();
    await page.goto(`${(dashboard as Dashboard).baseUrl}/cluster`);
    const banner = page.getByTestId('leader');
    await expect.poll(() => banner.innerText(), { timeout: UI_TIMEOUT_MS }).toContain(`Leader: member ${leader.id}`);
    await page.locator(`tr[data-member="${leader.id}"][data-role="leader"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    // Live over the events socket, which is on the leader (the first coordinator the dashboard was given).
    const liveBadge = page.getByRole('banner').getByText('Live', { exact: true });
    await liveBadge.waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: screenshotPath('cluster-leader') });
    // A reload would drop these: a marker, and the events badge's texts from here on.
    await page.evaluate(() => {
      const state = window as unknown as { zkNoReload?: boolean; zkBadgeTexts?: string[] };
      state.zkNoReload = true;
      state.zkBadgeTexts = [];
      const who = document.querySelector('header .who');
      if (who) new MutationObserver(() => state.zkBadgeTexts?.push(who.querySelector('.badge')?.textContent ?? '')).observe(who, { subtree: true, childList: true, characterData: true });
    });

    const killedAt = Date.now();
    await leader.kill();
    const handle = await page.waitForFunction(
      (oldId) => {
        const match = /Leader: member (\d+)/.exec(document.querySelector('[data-testid="leader"]')?.textContent ?? '');
        return match !== null && Number(match[1]) !== oldId ? Number(match[1]) : false;
      },
      leader.id,
      { timeout: NEW_LEADER_SHOWN_WITHIN_MS, polling: 100 },
    );
    const shownAfterMs = Date.now() - killedAt;
    const shownId = (await handle.jsonValue()) as number;
    console.info(`new leader (member ${shownId}) shown ${shownAfterMs} ms after SIGKILL of member ${leader.id}`);
    expect(shownAfterMs).toBeLessThanOrEqual(NEW_LEADER_SHOWN_WITHIN_MS);
    expect((await server.get().waitForLeader(10_000)).id).toBe(shownId);
    await page.locator(`tr[data-member="${leader.id}"]`).getByText('unreachable').waitFor({ timeout: UI_TIMEOUT_MS });
    // The events socket dropped with the leader (the pages polled meanwhile) and is live again on a survivor.
    await liveBadge.waitFor({ timeout: UI_TIMEOUT_MS });
    const badgeTexts = await page.evaluate(() => (window as unknown as { zkBadgeTexts?: string[] }).zkBadgeTexts ?? []);
    expect(badgeTexts).toContain('Polling');
    // The new leader records its election in the tree once it serves; the list follows live.
    await page.getByText(new RegExp(`member ${shownId} became leader`)).waitFor({ timeout: UI_TIMEOUT_MS });
    await expect(page.evaluate(() => (window as unknown as { zkNoReload?: boolean }).zkNoReload)).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('cluster-new-leader') });
    await page.close();
  }, TEST_TIMEOUT_MS);
});
