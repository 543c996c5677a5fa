import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from './stack';

/** Where `nx build ops-console` writes the console; a stack's gateway is told to serve it from there, whatever its working directory. */
export const OPS_CONSOLE_DIR = join(REPOSITORY_ROOT, 'dist', 'apps', 'ops-console');

const VITE = join(REPOSITORY_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const VITE_CONFIG = join(REPOSITORY_ROOT, 'apps', 'ops-console', 'vite.config.mts');

/** The console's page on a gateway. */
export function opsConsoleUrl(gatewayUrl: string): string {
  return `${gatewayUrl}/ops/`;
}

/**
 * Builds the operations console into OPS_CONSOLE_DIR, as `nx build ops-console` does: a second or
 * two. In a process of its own, because Vite is an ES module that jest's module loader cannot load.
 */
export async function buildOpsConsole(): Promise<void> {
  await promisify(execFile)(process.execPath, [VITE, 'build', '--config', VITE_CONFIG, '--logLevel', 'warn'], { cwd: REPOSITORY_ROOT });
}
