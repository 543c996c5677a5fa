import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { NATS_GIVE_UP_RECONNECT_ATTEMPTS, natsServers } from '@orders/config';
import { alreadyRunning, BackingService } from './backing-service';
import { errorMessage } from './errors';
import { findExecutable } from './executables';
import { DEFAULT_STOP_GRACE_MS, ManagedProcess } from './managed-process';
import { ProcessLogs, STACK_LOG } from './process-logs';

export const DEFAULT_NATS_PORT = 4222;
export const NATS_LOG = 'nats-server';
export const DEFAULT_NATS_URL = `nats://127.0.0.1:${DEFAULT_NATS_PORT}`;

const PROBE_TIMEOUT_MS = 2_000;
const DEFAULT_READY_TIMEOUT_MS = 15_000;

export type NatsProbe = { status: 'ready' } | { status: 'unreachable' | 'no-jetstream'; reason: string };

/** A NATS user and password, for servers that require them. */
export interface NatsCredentials {
  user: string;
  pass: string;
}

/** Whether a NATS server with JetStream enabled answers at `url`, or at one of the servers it lists. */
export async function probeNats(url: string, credentials?: NatsCredentials): Promise<NatsProbe> {
  const servers = natsServers(url);
  let connection: NatsConnection;
  try {
    connection = await connect({ servers, timeout: PROBE_TIMEOUT_MS, maxReconnectAttempts: NATS_GIVE_UP_RECONNECT_ATTEMPTS, ...credentials });
  } catch (error) {
    return { status: 'unreachable', reason: errorMessage(error) };
  }
  try {
    // Creating a manager queries the JetStream API, which fails when JetStream is off.
    await jetstreamManager(connection, { timeout: PROBE_TIMEOUT_MS });
    return { status: 'ready' };
  } catch (error) {
    return { status: 'no-jetstream', reason: errorMessage(error) };
  } finally {
    await connection.close();
  }
}

export interface NatsServerOptions {
  port: number;
  /** JetStream's storage; reusing it across restarts keeps streams and messages. */
  storeDir: string;
  logs: ProcessLogs;
  /** Log label; defaults to NATS_LOG. */
  name?: string;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  /** A server configuration file (authorization, limits) applied on top of the options above. */
  configFile?: string;
  /** Environment of the server process, e.g. the passwords a configuration file refers to. */
  environment?: NodeJS.ProcessEnv;
  /** What the readiness probe logs in with when the configuration requires it. */
  probeCredentials?: NatsCredentials;
}

/** A `nats-server -js` child process bound to 127.0.0.1 that can be stopped and started again. */
export class NatsServer {
  readonly url: string;
  private readonly process: ManagedProcess;

  constructor(private readonly options: NatsServerOptions) {
    const { port, storeDir, logs, name = NATS_LOG, configFile, environment } = options;
    this.url = `nats://127.0.0.1:${port}`;
    // Command-line options override the file's, so the file cannot move the server off its port or store.
    const args = [...(configFile ? ['-c', configFile] : []), '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir];
    this.process = new ManagedProcess({ name, command: 'nats-server', args, env: environment && { ...process.env, ...environment } }, logs);
  }

  get port(): number {
    return this.options.port;
  }

  /** Its label in the logs. */
  get name(): string {
    return this.process.name;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Starts the server and waits until it serves JetStream requests. */
  async start(): Promise<void> {
    this.process.start();
    try {
      await this.process.waitUntilReady(
        async () => {
          const probe = await probeNats(this.url, this.options.probeCredentials);
          if (probe.status !== 'ready') throw new Error(probe.reason);
          return true;
        },
        { description: `nats-server on port ${this.port} to accept connections`, timeoutMs: this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS },
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops the server gracefully (SIGKILL after the grace period); its store is kept. */
  async stop(): Promise<void> {
    // nats-server shuts down the same way on SIGINT and SIGTERM, but exits with 1 after
    // SIGTERM, which would read like a failure in the logs.
    await this.process.stop('SIGINT', this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
  }

  /** Ends the server at once with SIGKILL, as a crash or a lost machine would; its store is kept. */
  async kill(): Promise<void> {
    await this.process.stop('SIGKILL');
  }
}

export async function startNatsServer(options: NatsServerOptions): Promise<NatsServer> {
  const server = new NatsServer(options);
  await server.start();
  return server;
}

export interface EnsureNatsOptions {
  /** An explicitly configured server or list of servers (NATS_URL): it must be usable, nothing is started instead. */
  configuredUrl?: string;
  /** NATS_USER and NATS_PASSWORD, for a configured server that requires them. */
  credentials?: NatsCredentials;
  /** JetStream storage for a server started by the stack. */
  storeDir: string;
  logs: ProcessLogs;
}

/** Uses the configured or default NATS server, starting `nats-server` when the default is not running. */
export async function ensureNats({ configuredUrl, credentials, storeDir, logs }: EnsureNatsOptions): Promise<BackingService> {
  const url = configuredUrl ?? DEFAULT_NATS_URL;
  const probe = await probeNats(url, credentials);
  if (probe.status === 'ready') return alreadyRunning(url);
  if (configuredUrl !== undefined) {
    throw new Error(`NATS_URL is set to ${url}, but no NATS server with JetStream answers there (${probe.reason}).`);
  }
  if (probe.status === 'no-jetstream') {
    throw new Error(`The NATS server at ${url} does not have JetStream enabled (${probe.reason}). Restart it with -js, or set NATS_URL to another server.`);
  }
  if (!(await findExecutable('nats-server'))) {
    throw new Error(
      [
        `No NATS server answers at ${url} and nats-server is not on PATH, so none can be started.`,
        'Either install nats-server (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server;',
        'otherwise https://github.com/nats-io/nats-server/releases) or set NATS_URL to a NATS server with JetStream enabled.',
      ].join('\n'),
    );
  }
  logs.write(STACK_LOG, `No NATS server at ${url}; starting nats-server with JetStream (store: ${storeDir})`);
  const server = await startNatsServer({ port: DEFAULT_NATS_PORT, storeDir, logs });
  return { url: server.url, startedByStack: true, stop: () => server.stop() };
}
