import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { answerBench } from '../control';
import { HandledLog } from '../handled-log';

/** What the bench tells its child, in the environment. */
export interface ChildEnvironment {
  natsUrl: string;
  /** What the handler subscribes to. */
  subject: string;
  /** The handled log marks when this many events were handled (see `HandledLog`); 0 for no mark. */
  markAfter: number;
}

export const CHILD_ENVIRONMENT = { natsUrl: 'BENCH_BUS_NATS_URL', subject: 'BENCH_BUS_SUBJECT', markAfter: 'BENCH_BUS_MARK_AFTER' } as const;

export function childEnvironment(env: NodeJS.ProcessEnv = process.env): ChildEnvironment {
  const natsUrl = env[CHILD_ENVIRONMENT.natsUrl];
  const subject = env[CHILD_ENVIRONMENT.subject];
  if (!natsUrl || !subject) throw new Error(`A bench child needs ${CHILD_ENVIRONMENT.natsUrl} and ${CHILD_ENVIRONMENT.subject}; run it through npm run bench:bus`);
  return { natsUrl, subject, markAfter: Number(env[CHILD_ENVIRONMENT.markAfter] ?? 0) };
}

/**
 * Every child logs warnings and errors only: a line per handled event (our transport
 * logs one at info level) would measure the terminal, not the transport.
 */
export const CHILD_LOG_LEVELS: LogLevel[] = ['error', 'warn'];

/**
 * Starts the microservice and, once it receives events, answers the bench, whose first
 * answered request is its signal to start publishing. `beforeReady` makes sure the
 * transport's subscriptions reached the server where listening alone does not.
 */
export async function serveEvents(app: INestMicroservice, log: HandledLog, environment: ChildEnvironment, beforeReady?: () => Promise<void>): Promise<void> {
  app.enableShutdownHooks();
  await app.listen();
  await beforeReady?.();
  await answerBench(environment.natsUrl, log);
}
