import { freePort, NatsServer, NatsServerOptions, ProcessLogs } from '@orders/local-processes';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A JetStream-enabled nats-server owned by one test, which may stop and restart it. */
export interface PrivateNatsServer {
  url: string;
  port: number;
  /** The server process's id while it runs, e.g. to read its CPU time and memory. */
  readonly pid: number | undefined;
  /** Stops the server gracefully (SIGKILL after a few seconds); streams are kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same storage, e.g. to end a simulated outage. */
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its storage. */
  dispose(): Promise<void>;
  /** The server's output, for diagnosing a failed test. */
  logs(): string[];
}

const STOP_GRACE_MS = 3_000;
const LOG_NAME = 'private-nats-server';

/** A configuration file for the server (e.g. authorization), its environment, and the probe's login. */
export type PrivateNatsServerOptions = Pick<NatsServerOptions, 'configFile' | 'environment' | 'probeCredentials'>;

export async function startPrivateNatsServer(options: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
  const storeDir = await mkdtemp(join(tmpdir(), 'private-nats-'));
  const logs = new ProcessLogs('capture');
  const server = new NatsServer({ ...options, port: await freePort(), storeDir, logs, name: LOG_NAME, stopGraceMs: STOP_GRACE_MS });
  const dispose = async (): Promise<void> => {
    await server.stop();
    await rm(storeDir, { recursive: true, force: true });
  };
  try {
    await server.start();
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    get pid() {
      return server.pid;
    },
    stop: () => server.stop(),
    start: () => server.start(),
    dispose,
    logs: () => logs.of(LOG_NAME),
  };
}

/**
 * A private nats-server for the test file (or `describe` block) it is called in: started
 * before its tests, disposed after them. Read `url` inside tests and hooks.
 */
export function privateNatsServerForSuite(): { readonly url: string } {
  let server: PrivateNatsServer | undefined;
  beforeAll(async () => {
    server = await startPrivateNatsServer();
  });
  afterAll(() => server?.dispose());
  return {
    get url(): string {
      if (!server) throw new Error('The private NATS server starts in beforeAll; read its url inside tests and hooks');
      return server.url;
    },
  };
}
