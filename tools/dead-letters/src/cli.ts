import { DeadLetterNotFound, DeadLetters, MAX_DEAD_LETTER_PAGE_SIZE, NatsConnectionManager } from '@orders/messaging';
import { parseArgs } from 'node:util';
import { formatDeadLetter, formatDepths, formatPage } from './format';

export const USAGE = `Usage: npm run dlq -- <command> [options]

Commands:
  list [--service <name>] [--limit <1-100>] [--after <id>]   dead letters, oldest first
  show <id>                                                   one dead letter with its headers and payload
  replay <id>                                                 publish it again to its original subject, then remove it
  discard <id>                                                remove it for good
  depth [--service <name>]                                    how many dead letters wait, per service

Options:
  --json   print JSON instead of text
  --help   print this help

Environment:
  NATS_URL   the NATS server, or a cluster's servers separated by commas (default nats://127.0.0.1:4222)`;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The exit code: 0 done, 1 the operation failed (e.g. no such dead letter), 2 the command line is wrong. */
export type ExitCode = 0 | 1 | 2;

class UsageError extends Error {}

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** Runs one command against the dead-letter queue and writes its result. */
export async function runCli(argv: string[], output: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    output.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    output.out(USAGE);
    return 0;
  }
  const nats = new NatsConnectionManager({ url: env.NATS_URL ?? DEFAULT_NATS_URL, serviceName: 'dead-letters-cli', failFast: true });
  try {
    await nats.connect();
    const result = await execute(command, new DeadLetters(nats));
    output.out(command.json ? JSON.stringify(result.value, null, 2) : result.text);
    return 0;
  } catch (error) {
    output.err(error instanceof DeadLetterNotFound ? error.message : `Failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await nats.close();
  }
}

type Command =
  | { name: 'help' }
  | { name: 'list'; json: boolean; service?: string; limit?: number; after?: number }
  | { name: 'show' | 'replay' | 'discard'; json: boolean; id: number }
  | { name: 'depth'; json: boolean; service?: string };

function parseCommand(argv: string[]): Command {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === 'help') return { name: 'help' };
  const json = values.json;
  const expectArguments = (count: number) => {
    if (rest.length !== count) throw new UsageError(`${name} takes ${count === 0 ? 'no arguments' : 'a dead-letter id'}`);
  };
  switch (name) {
    case 'list':
      expectArguments(0);
      return {
        name,
        json,
        service: values.service,
        limit: optionalInteger('--limit', values.limit, 1, MAX_DEAD_LETTER_PAGE_SIZE),
        after: optionalInteger('--after', values.after, 0),
      };
    case 'show':
    case 'replay':
    case 'discard':
      expectArguments(1);
      return { name, json, id: integer('id', rest[0], 1) };
    case 'depth':
      expectArguments(0);
      return { name, json, service: values.service };
    default:
      throw new UsageError(`Unknown command "${name}"`);
  }
}

function integer(label: string, text: string, minimum: number, maximum?: number): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  const range = maximum === undefined ? `at least ${minimum}` : `${minimum} to ${maximum}`;
  if (!(value >= minimum && value <= (maximum ?? value))) throw new UsageError(`${label} must be a whole number, ${range}; got "${text}"`);
  return value;
}

function optionalInteger(label: string, text: string | undefined, minimum: number, maximum?: number): number | undefined {
  return text === undefined ? undefined : integer(label, text, minimum, maximum);
}

async function execute(command: Exclude<Command, { name: 'help' }>, deadLetters: DeadLetters): Promise<{ value: unknown; text: string }> {
  switch (command.name) {
    case 'list': {
      const page = await deadLetters.list({ service: command.service, limit: command.limit, after: command.after });
      return { value: page, text: formatPage(page) };
    }
    case 'show': {
      const deadLetter = await deadLetters.get(command.id);
      return { value: deadLetter, text: formatDeadLetter(deadLetter) };
    }
    case 'replay': {
      const replayed = await deadLetters.replay(command.id);
      return { value: replayed, text: `Replayed dead letter ${replayed.id} to ${replayed.subject} (${replayed.stream} #${replayed.sequence}).` };
    }
    case 'discard':
      await deadLetters.discard(command.id);
      return { value: { id: command.id, discarded: true }, text: `Discarded dead letter ${command.id}.` };
    case 'depth': {
      const depths = command.service === undefined ? await deadLetters.depthByService() : { [command.service]: await deadLetters.depth(command.service) };
      return { value: depths, text: formatDepths(depths) };
    }
  }
}
