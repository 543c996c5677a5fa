import { errorMessage, redactUrl } from '@orders/local-processes';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { curlExample } from './curl-example';
import { LAUNCHER_USAGE, LauncherOptions, parseLauncherOptions } from './launcher-options';
import { REPOSITORY_ROOT, RunningStack, startStack } from './stack';
import { ProcessName } from './stack-topology';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  const options = launcherOptions();
  loadDotEnv();
  const startup = new AbortController();
  let stack: RunningStack | undefined;
  let stopping = false;

  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.log(`Received ${signal}; still stopping, processes that do not exit are killed after their grace period.`);
      return;
    }
    stopping = true;
    console.log(`\nReceived ${signal}, stopping the stack...`);
    // During startup, startStack itself stops what it started and rejects.
    if (!stack) return startup.abort(new Error(`Interrupted by ${signal}`));
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(errorMessage(error));
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, shutdown);

  try {
    stack = await startStack({ logs: 'inherit', signal: startup.signal, watch: options.watch });
  } catch (error) {
    if (startup.signal.aborted) process.exit(0);
    console.error(`\nThe local stack did not start.\n${errorMessage(error)}`);
    process.exit(1);
  }
  console.log(banner(stack, options.watch));
}

function launcherOptions(): LauncherOptions {
  try {
    return parseLauncherOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${errorMessage(error)}\n${LAUNCHER_USAGE}`);
    process.exit(2);
  }
}

/** A developer's own settings, kept in `.env` at the repository root (see .env.example); variables set in the shell win. */
function loadDotEnv(): void {
  const path = join(REPOSITORY_ROOT, '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}

function banner(stack: RunningStack, watched: readonly ProcessName[]): string {
  const width = Math.max(...Object.keys(stack.urls).map((name) => name.length));
  return [
    '',
    `The order platform is running. Gateway: ${stack.gatewayUrl}`,
    '',
    ...Object.entries(stack.urls).map(([name, url]) => `  ${name.padEnd(width)}  ${url}`),
    `  ${'NATS'.padEnd(width)}  ${stack.natsUrl}`,
    `  ${'Postgres'.padEnd(width)}  ${redactUrl(stack.adminDatabaseUrl)}`,
    '',
    ...(watched.length > 0 ? [`Restarted when their sources change: ${watched.join(', ')}`, ''] : []),
    'Try it (paste into a shell):',
    '',
    curlExample(stack.gatewayUrl),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

void main();
