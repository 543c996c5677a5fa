import { parseArgs } from 'node:util';
import { positiveInteger } from '../bus/options';

export interface AnatomyOptions {
  port: number;
  /** One order's saga; without it, every saga that ends within the window. */
  orderId?: string;
  /** The window, or with an order how long to wait for its saga. */
  seconds: number;
  /** Where to write the result as JSON too. */
  json?: string;
}

export const ANATOMY_USAGE = `Usage: npm run anatomy -- [--port 4318] [--order <id>] [--seconds N] [--json <file>]
  --port N       where the OTLP/HTTP receiver listens on 127.0.0.1 (4318)
  --order <id>   the anatomy of one order's saga, once it has ended (waits --seconds, 300 by default);
                 start it within seconds of placing the order: the apps retry an export for about 10 s
  --seconds N    without --order: the anatomy of every saga that ends within N seconds (60)
  --json <file>  write the result as JSON too`;

const DEFAULT_WINDOW_SECONDS = 60;
const DEFAULT_ORDER_WAIT_SECONDS = 300;

export function parseAnatomyOptions(argv: string[]): AnatomyOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { port: { type: 'string' }, order: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'string' } },
  });
  const orderId = values.order;
  return {
    port: positiveInteger('--port', values.port ?? '4318'),
    orderId,
    seconds: positiveInteger('--seconds', values.seconds ?? String(orderId ? DEFAULT_ORDER_WAIT_SECONDS : DEFAULT_WINDOW_SECONDS)),
    json: values.json,
  };
}
