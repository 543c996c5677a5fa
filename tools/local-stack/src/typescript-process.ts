import { ProcessSpec } from '@orders/local-processes';

export interface TypeScriptProcessOptions {
  /**
   * Run under `node --watch`: the process restarts when a file it loaded changes, its own
   * sources or those of the libs it imports. The output is kept across restarts, since it is
   * interleaved with the other processes' output.
   */
  watch?: boolean;
}

/** Every TypeScript entry point of the repository runs the same way: transpiled on load by tools/register.cjs. */
export function typeScriptProcess(name: string, rootDir: string, entry: string, env: NodeJS.ProcessEnv, options: TypeScriptProcessOptions = {}): ProcessSpec {
  return {
    name,
    command: process.execPath,
    args: ['--enable-source-maps', ...(options.watch ? ['--watch', '--watch-preserve-output'] : []), '-r', './tools/register.cjs', entry],
    cwd: rootDir,
    env,
  };
}
