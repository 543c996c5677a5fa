import { join } from 'node:path';
import { REPOSITORY_ROOT } from './stack';

/** Where `nx build ops-console` writes the console; a stack's gateway is told to serve it from there, whatever its working directory. */
export const OPS_CONSOLE_DIR = join(REPOSITORY_ROOT, 'dist', 'apps', 'ops-console');

/** The console's page on a gateway. */
export function opsConsoleUrl(gatewayUrl: string): string {
  return `${gatewayUrl}/ops/`;
}

/** Builds the operations console into OPS_CONSOLE_DIR, as `nx build ops-console` does: a second or two. */
export async function buildOpsConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(REPOSITORY_ROOT, 'apps', 'ops-console', 'vite.config.mts'), logLevel: 'warn' });
}
