import { ProcessSpec } from './managed-process';

/** Every TypeScript entry point of the repository runs the same way: transpiled on load by tools/register.cjs. */
export function typeScriptProcess(name: string, rootDir: string, entry: string, env: NodeJS.ProcessEnv): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['--enable-source-maps', '-r', './tools/register.cjs', entry],
    cwd: rootDir,
    env,
  };
}
