import { ProcessSpec } from '@orders/local-processes';
import { basename, dirname, join } from 'node:path';

/**
 * A production bundle runs as its image runs it (docker/Dockerfile): plain node with source maps,
 * in the bundle's directory, with NODE_ENV=production. Its npm packages resolve from the
 * repository's node_modules instead of the image's production-only install.
 */
export function bundleProcess(name: string, rootDir: string, bundle: string, env: NodeJS.ProcessEnv): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['--enable-source-maps', basename(bundle)],
    cwd: join(rootDir, dirname(bundle)),
    env: { ...env, NODE_ENV: 'production' },
  };
}
