import { errorMessage, ProcessLogs } from '@orders/local-processes';
import { once } from 'node:events';
import { Agent, createServer, IncomingHttpHeaders, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { checkHttpOk } from './http';
import { READINESS_PATH } from './stack-topology';

/** One replica of an app, as its proxy reaches it. */
export interface Replica {
  name: string;
  url: string;
}

/** What a proxy knows about one replica: whether it gets new requests, how many it got and how many of those failed to reach it. */
export interface ReplicaRouting {
  replica: string;
  inRotation: boolean;
  routed: number;
  failed: number;
}

export interface ReplicaProxyOptions {
  /** The app whose replicas it spreads requests over; its log label is `<app>-proxy`. */
  app: string;
  replicas: readonly Replica[];
  logs: ProcessLogs;
  /** How often each replica's readiness is probed; defaults to 1 s. */
  probeIntervalMs?: number;
  /** Failed probes in a row that take a replica out of rotation, as a readinessProbe's failureThreshold; defaults to 2. */
  failureThreshold?: number;
}

interface ReplicaState extends Replica {
  target: URL;
  ready: boolean;
  /** Set while the replica is being stopped: like a terminating pod, it gets no new requests whatever its probe says. */
  draining: boolean;
  failedProbes: number;
  routed: number;
  failed: number;
  probe?: NodeJS.Timeout;
}

const DEFAULT_PROBE_INTERVAL_MS = 1_000;
const DEFAULT_FAILURE_THRESHOLD = 2;

/** Connection-level headers: they describe one hop, so neither side's are passed on to the other. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * What a Kubernetes Service is to an app's pods, for the local stack: one address in front of the
 * app's replicas that spreads requests across those whose readiness probe passes. Unlike a Service,
 * which balances connections, it balances each request, so callers that keep connections open
 * still reach every replica (ADR 15).
 */
export class ReplicaProxy {
  private readonly replicas: ReplicaState[];
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server: Server;
  private next = 0;
  private closed = false;

  constructor(private readonly options: ReplicaProxyOptions) {
    this.replicas = options.replicas.map((replica) => ({ ...replica, target: new URL(replica.url), ready: false, draining: false, failedProbes: 0, routed: 0, failed: 0 }));
    this.server = createServer((incoming, outgoing) => this.forward(incoming, outgoing));
  }

  get logName(): string {
    return `${this.options.app}-proxy`;
  }

  /** Listens on 127.0.0.1:`port` and starts probing; replicas join the rotation as their probes pass. */
  async listen(port: number): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    for (const replica of this.replicas) void this.probe(replica);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const replica of this.replicas) clearTimeout(replica.probe);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }

  /** Takes a replica out of rotation at once, before it is stopped, as Kubernetes does with a terminating pod. */
  drain(name: string): void {
    const replica = this.replica(name);
    if (this.inRotation(name)) this.log(`${name} leaves the rotation: stopping`);
    replica.draining = true;
  }

  /** A replica started again: it rejoins the rotation once its probe passes. */
  resume(name: string): void {
    const replica = this.replica(name);
    replica.draining = false;
    replica.ready = false;
    replica.failedProbes = 0;
  }

  inRotation(name: string): boolean {
    const replica = this.replica(name);
    return replica.ready && !replica.draining;
  }

  routing(): ReplicaRouting[] {
    return this.replicas.map(({ name, routed, failed }) => ({ replica: name, inRotation: this.inRotation(name), routed, failed }));
  }

  private replica(name: string): ReplicaState {
    const replica = this.replicas.find((candidate) => candidate.name === name);
    if (!replica) throw new Error(`${name} is not a replica of ${this.options.app}`);
    return replica;
  }

  /** Round robin over the replicas in rotation. */
  private pick(): ReplicaState | undefined {
    const candidates = this.replicas.filter((replica) => this.inRotation(replica.name));
    if (candidates.length === 0) return undefined;
    return candidates[this.next++ % candidates.length];
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const replica = this.pick();
    if (!replica) {
      this.answerError(incoming, outgoing, 503, 'SERVICE_UNAVAILABLE', `No replica of ${this.options.app} is ready`);
      return;
    }
    replica.routed++;
    const upstream = request(
      { host: replica.target.hostname, port: replica.target.port, method: incoming.method, path: incoming.url, headers: endToEnd(incoming.headers), agent: this.agent },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        pipeline(answer, outgoing, () => undefined);
      },
    );
    upstream.on('error', (error) => {
      if (outgoing.headersSent || outgoing.destroyed) return outgoing.destroy();
      replica.failed++;
      this.log(`${incoming.method} ${incoming.url} could not reach ${replica.name}: ${errorMessage(error)}`, 'stderr');
      this.answerError(incoming, outgoing, 502, 'BAD_GATEWAY', `${replica.name} could not be reached`);
    });
    // A caller that gives up (its deadline passed) stops the work it asked for.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) upstream.destroy();
    });
    pipeline(incoming, upstream, () => undefined);
  }

  private answerError(incoming: IncomingMessage, outgoing: ServerResponse, status: number, code: string, message: string): void {
    const requestId = incoming.headers['x-request-id'];
    outgoing.writeHead(status, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify({ error: { code, message }, requestId }));
  }

  private async probe(replica: ReplicaState): Promise<void> {
    try {
      await checkHttpOk(`${replica.url}${READINESS_PATH}`);
      replica.failedProbes = 0;
      if (!replica.ready && !replica.draining) this.log(`${replica.name} joins the rotation`);
      replica.ready = true;
    } catch (error) {
      replica.failedProbes++;
      if (replica.ready && replica.failedProbes >= (this.options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD)) {
        if (!replica.draining) this.log(`${replica.name} leaves the rotation: ${errorMessage(error)}`);
        replica.ready = false;
      }
    }
    if (!this.closed) replica.probe = setTimeout(() => void this.probe(replica), this.options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS);
  }

  private log(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.options.logs.write(this.logName, line, stream);
  }
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}
