import { ProcessSpec } from '@orders/local-processes';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The image every deployable runs in; what it sets for node is read from it, never restated. */
export const IMAGE_DOCKERFILE = resolve(__dirname, '..', '..', '..', 'docker', 'Dockerfile');

/**
 * A production bundle runs as its image runs it (docker/Dockerfile): plain node with the image's
 * NODE_OPTIONS, in the bundle's directory, with NODE_ENV=production. Its npm packages resolve from
 * the repository's node_modules instead of the image's production-only install.
 */
export function bundleProcess(name: string, rootDir: string, bundle: string, env: NodeJS.ProcessEnv): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: [basename(bundle)],
    cwd: join(rootDir, dirname(bundle)),
    env: { ...env, NODE_ENV: 'production', NODE_OPTIONS: imageNodeOptions() },
  };
}

/** The value of `NODE_OPTIONS=` in the Dockerfile's ENV, quoted or not; the file sets it once. */
export function imageNodeOptions(dockerfile: string = IMAGE_DOCKERFILE): string {
  const settings = [...readFileSync(dockerfile, 'utf8').matchAll(/^\s*(?:ENV\s+)?NODE_OPTIONS=(?:"([^"]*)"|([^\s"\\]+))/gm)];
  if (settings.length !== 1) throw new Error(`Expected ${dockerfile} to set NODE_OPTIONS once, found ${settings.length} settings`);
  const [, quoted, plain] = settings[0];
  return quoted ?? plain;
}
