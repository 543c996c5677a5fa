import { errorMessage, redactUrl } from '@orders/local-processes';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { curlExample } from './curl-example';
import { LAUNCHER_USAGE, LauncherOptions, parseLauncherOptions } from './launcher-options';
import { buildOpsConsole, OPS_CONSOLE_DIR, opsConsoleUrl } from './ops-console';
import { REPOSITORY_ROOT, RunningStack, startStack } from './stack';
import { PROCESS_NAMES, ProcessName, StackTopology, streamReplicasOf } from './stack-topology';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  loadDotEnv();
  const options = launcherOptions();
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

  // Built while the stack starts, which takes far longer; the gateway serves it as soon as it is there.
  const consoleBuilt = buildOpsConsole().then(
    () => true,
    (error: unknown) => {
      console.error(`The operations console did not build; /ops will say so.\n${errorMessage(error)}`);
      return false;
    },
  );
  try {
    const env = { gateway: { OPS_CONSOLE_DIR } };
    stack = await startStack({ logs: 'inherit', signal: startup.signal, watch: options.watch, topology: options.topology, env });
  } catch (error) {
    if (startup.signal.aborted) process.exit(0);
    console.error(`\nThe local stack did not start.\n${errorMessage(error)}`);
    process.exit(1);
  }
  console.log(banner(stack, options.watch, await consoleBuilt));
}

function launcherOptions(): LauncherOptions {
  try {
    return parseLauncherOptions(process.argv.slice(2), process.env);
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

function banner(stack: RunningStack, watched: readonly ProcessName[], consoleBuilt: boolean): string {
  const rows = [...PROCESS_NAMES.flatMap((name) => processRows(stack, name)), ...natsRows(stack), ['Postgres', redactUrl(stack.adminDatabaseUrl)]];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    '',
    `The order platform is running. Gateway: ${stack.gatewayUrl}`,
    `Operations console: ${opsConsoleUrl(stack.gatewayUrl)}${consoleBuilt ? ' (sign in with any operator id)' : ' (not built: npx nx build ops-console)'}`,
    '',
    describeTopology(stack.topology),
    '',
    ...rows.map(([name, url]) => `  ${name.padEnd(width)}  ${url}`),
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

function describeTopology(topology: StackTopology): string {
  const apps = topology.replicas === 1 ? 'One process per app' : `${topology.replicas} replicas of every app, behind a proxy on the app's address`;
  const nats = topology.natsCluster === 1 ? 'one NATS server' : `a NATS cluster of ${topology.natsCluster} nodes, streams of ${streamReplicasOf(topology)} replicas`;
  return `${apps}; ${nats}.`;
}

/** An app or simulator at its address, followed by its replicas when it has several. */
function processRows(stack: RunningStack, name: ProcessName): [string, string][] {
  const replicas = stack.replicas[name];
  if (replicas.length === 1) return [[name, stack.urls[name]]];
  return [[name, `${stack.urls[name]} (proxy)`], ...replicas.map((replica): [string, string] => [`  ${replica.name}`, replica.url])];
}

function natsRows(stack: RunningStack): [string, string][] {
  if (stack.natsNodes.length === 0) return [['NATS', stack.natsUrl]];
  return [['NATS', stack.natsUrl], ...stack.natsNodes.map((node): [string, string] => [`  ${node.name}`, node.url])];
}

void main();
