import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DEFAULT_NATS_URL, ensureNats, startNatsServer } from './nats';
import { freePort } from './ports';
import { ProcessLogs } from './process-logs';

describe('ensureNats', () => {
  const logs = new ProcessLogs('capture');

  it('uses the default server when it runs, without starting one', async () => {
    const nats = await ensureNats({ storeDir: '/nonexistent', logs });
    expect(nats).toMatchObject({ url: DEFAULT_NATS_URL, startedByStack: false });
  });

  it('refuses a configured NATS_URL where nothing answers instead of starting a server', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    await expect(ensureNats({ configuredUrl: url, storeDir: '/nonexistent', logs })).rejects.toThrow(`NATS_URL is set to ${url}, but no NATS server with JetStream answers there`);
  });

  it('uses a configured list of servers when one of them answers', async () => {
    const url = `nats://127.0.0.1:${await freePort()},${DEFAULT_NATS_URL},nats://127.0.0.1:${await freePort()}`;
    const nats = await ensureNats({ configuredUrl: url, storeDir: '/nonexistent', logs });
    expect(nats).toMatchObject({ url, startedByStack: false });
  });

  it('refuses a configured NATS_URL with an entry that is not a server', async () => {
    await expect(ensureNats({ configuredUrl: `${DEFAULT_NATS_URL},127.0.0.1`, storeDir: '/nonexistent', logs })).rejects.toThrow('NATS_URL: "127.0.0.1" is not a NATS server');
  });
});

describe('startNatsServer', () => {
  let occupant: Server;
  let storeDir: string;

  beforeEach(async () => {
    storeDir = await mkdtemp(join(tmpdir(), 'nats-spec-'));
  });

  afterEach(async () => {
    occupant?.close();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('fails with the server output when its port is taken', async () => {
    occupant = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
    await once(occupant, 'listening');
    const port = (occupant.address() as { port: number }).port;
    const attempt = startNatsServer({ port, storeDir, logs: new ProcessLogs('capture'), readyTimeoutMs: 10_000 });
    // Should it start after all, it must not outlive the test.
    void attempt.then(
      (server) => server.stop(),
      () => undefined,
    );
    await expect(attempt).rejects.toThrow(
      /nats-server exited \(code 1\) while waiting for nats-server on port \d+ to accept connections\nLast output of nats-server:[\s\S]*address already in use/,
    );
  });
});
