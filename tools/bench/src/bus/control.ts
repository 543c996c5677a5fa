import { connect, NatsConnection } from '@nats-io/transport-node';
import { HandledLog, HandledReport } from './handled-log';

/**
 * The bench talks to its child over core NATS on the private server, outside the
 * subjects under test: it asks for the handled log's report and starts phases.
 */
const SUBJECTS = { report: 'bench.bus.report', startPhase: 'bench.bus.start-phase' } as const;
const REQUEST_TIMEOUT_MS = 5_000;

/** In the child: answers the bench on a connection of its own, so the transport's connection carries only events. */
export async function answerBench(natsUrl: string, log: HandledLog): Promise<void> {
  const connection = await connect({ servers: natsUrl, name: 'bench-bus-control' });
  connection.subscribe(SUBJECTS.report, {
    callback: (_error, message) => {
      message.respond(JSON.stringify(log.report()));
    },
  });
  connection.subscribe(SUBJECTS.startPhase, {
    callback: (_error, message) => {
      log.startPhase(message.data.length > 0 ? Number(message.string()) : 0);
      message.respond();
    },
  });
  await connection.flush();
}

/** In the bench: the child's handled log, asked over `connection`. */
export class ChildControl {
  constructor(private readonly connection: NatsConnection) {}

  async report(): Promise<HandledReport> {
    return (await this.connection.request(SUBJECTS.report, undefined, { timeout: REQUEST_TIMEOUT_MS })).json<HandledReport>();
  }

  /** Starts counting anew; `markAfter` as in `HandledLog.startPhase`. */
  async startPhase(markAfter = 0): Promise<void> {
    await this.connection.request(SUBJECTS.startPhase, String(markAfter), { timeout: REQUEST_TIMEOUT_MS });
  }
}
