// The browser transport end to end: the browser entry (browser.ts) bundled by esbuild for the browser — which
// fails on any node: import — runs in headless Chromium (Debian's, driven by playwright-core) against a coordinator's
// WebSocket gateway; the page creates and reads a node and receives a watch event caused by a Node TCP client.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from './testing';
import { ZooKeeperClient } from './client';
import { toText } from './data';

const CHROMIUM = '/usr/bin/chromium';

/** The page's script: the SDK from the browser entry, and two steps the test calls with page.evaluate. */
const PAGE_SCRIPT = `
import { ZooKeeperClient, toText } from './browser';

let zk;
let watchEvent;
const api = {
  async connectAndWrite(url, base) {
    zk = await ZooKeeperClient.connect(url, { sessionTimeoutMs: 10000, connectTimeoutMs: 10000 });
    const created = await zk.create(base + '/from-browser', 'hello from chromium');
    const read = toText((await zk.getData(created.path)).data);
    let resolveEvent;
    watchEvent = new Promise((resolve) => (resolveEvent = resolve));
    // Resolves once the watch is registered on the server (the reply carries it).
    const watchedBefore = toText((await zk.getData(base + '/watched', (event) => resolveEvent(event))).data);
    return { createdPath: created.path, read, watchedBefore, sessionId: zk.sessionId.toString(16), hasGlobalWebSocket: typeof WebSocket === 'function', userAgent: navigator.userAgent };
  },
  async awaitEventAndClose(base) {
    const event = await Promise.race([watchEvent, new Promise((_, reject) => setTimeout(() => reject(new Error('no watch event within 10 s')), 10000))]);
    const after = toText((await zk.getData(base + '/watched')).data);
    await zk.close();
    return { event: { type: event.type, path: event.path }, after, state: zk.state };
  },
};
globalThis.zkPage = api;
`;

interface PageApi {
  connectAndWrite(url: string, base: string): Promise<{ createdPath: string; read: string; watchedBefore: string; sessionId: string; hasGlobalWebSocket: boolean; userAgent: string }>;
  awaitEventAndClose(base: string): Promise<{ event: { type: string; path: string }; after: string; state: string }>;
}

describe('the SDK in headless Chromium over WebSocket', () => {
  const server = useServer('coordinator', { admin: true });
  let bundle: string;
  let bundledInputs: string[];
  let http: Server | undefined;
  let pageUrl: string;
  let browser: Browser | undefined;
  let tcp: ZooKeeperClient | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-deps.sh (Debian's chromium)`);
    const result = await build({
      stdin: { contents: PAGE_SCRIPT, resolveDir: __dirname, sourcefile: 'page.js', loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0].text;
    bundledInputs = Object.keys(result.metafile.inputs);

    http = createServer((request, response) => {
      if (request.url === '/sdk.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>zk sdk</title><script src="/sdk.js"></script>');
      }
    });
    await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'], timeout: 30_000 });
    tcp = await ZooKeeperClient.connect(server.get().connectString);
  }, 60_000);

  afterAll(async () => {
    await tcp?.close();
    await browser?.close();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  });

  it('bundles without anything from Node', () => {
    expect(bundledInputs.some((input) => input.endsWith('websocket-transport.ts'))).toBe(true);
    expect(bundledInputs.filter((input) => input.startsWith('node:') || input.includes('tcp-transport'))).toEqual([]);
  });

  it('creates and reads a node, and gets the watch event of a write made over TCP', async () => {
    const client = tcp as ZooKeeperClient;
    const base = `/sdk-browser-${Date.now()}`;
    await client.create(base);
    await client.create(`${base}/watched`, 'before');

    const page = await (browser as Browser).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    try {
      await page.goto(pageUrl);
      const url = server.get().webSocketUrl as string;
      const first = await page.evaluate(([u, b]) => (globalThis as unknown as { zkPage: PageApi }).zkPage.connectAndWrite(u, b), [url, base] as const);
      expect(first.userAgent).toMatch(/HeadlessChrome/);
      expect(first.hasGlobalWebSocket).toBe(true);
      expect(first.createdPath).toBe(`${base}/from-browser`);
      expect(first.read).toBe('hello from chromium');
      await client.sync(first.createdPath); // the page's session may be on another member: catch up before reading
      expect(toText((await client.getData(`${base}/from-browser`)).data)).toBe('hello from chromium');
      expect(first.watchedBefore).toBe('before');
      expect(first.sessionId).not.toBe('0');

      await client.setData(`${base}/watched`, 'changed over TCP');
      const second = await page.evaluate((b) => (globalThis as unknown as { zkPage: PageApi }).zkPage.awaitEventAndClose(b), base);
      expect(second.event).toEqual({ type: 'nodeDataChanged', path: `${base}/watched` });
      expect(second.after).toBe('changed over TCP');
      expect(second.state).toBe('closed');
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
