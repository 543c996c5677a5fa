import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayUnderTest, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/ops/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("console");';

describe('the operations console behind the gateway', () => {
  let nats: PrivateNatsServer;
  let built: string;
  const gateways: GatewayUnderTest[] = [];

  async function gateway(consoleDir: string): Promise<GatewayUnderTest> {
    const started = await startGateway(nats.url, { OPS_CONSOLE_DIR: consoleDir });
    gateways.push(started);
    return started;
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    built = await mkdtemp(join(tmpdir(), 'ops-console-'));
    await mkdir(join(built, 'assets'));
    await writeFile(join(built, 'index.html'), INDEX_HTML);
    await writeFile(join(built, 'assets', 'index-abc.js'), SCRIPT);
  });

  afterAll(async () => {
    for (const started of gateways) await started.app.close();
    await nats?.dispose();
    await rm(built, { recursive: true, force: true });
  });

  it('serves the built console under /ops, its scripts only from the gateway itself', async () => {
    const { url } = await gateway(built);

    const page = await fetch(`${url}/ops/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toBe(INDEX_HTML);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy.split(';').map((directive) => directive.trim())).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]),
    );
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);

    const script = await fetch(`${url}/ops/assets/index-abc.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe(SCRIPT);

    // The path without its slash leads to the page, whose relative links need it.
    const bare = await fetch(`${url}/ops`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/ops/');
  });

  it('answers 404 for a file the console does not have, and the API keeps its own policy', async () => {
    const { url } = await gateway(built);

    const missing = await fetch(`${url}/ops/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no file/i);
    const api = await fetch(`${url}/api/v1/admin/dead-letters`);
    expect(api.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('says how to build the console when it was not built', async () => {
    const { url } = await gateway(join(built, 'not-built'));

    const page = await fetch(`${url}/ops/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/npx nx build ops-console/);
  });
});
