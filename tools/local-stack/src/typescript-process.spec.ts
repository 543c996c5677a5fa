import { ManagedProcess, ProcessLogs, waitFor } from '@orders/local-processes';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './stack';
import { typeScriptProcess } from './typescript-process';

describe('a TypeScript process in watch mode', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'watch-mode-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('restarts when a module it imports changes, and its restarted process stops with it', async () => {
    const greeting = join(dir, 'greeting.ts');
    const writeGreeting = (text: string) => writeFile(greeting, `export const greeting: string = '${text}';\n`);
    await writeGreeting('hello');
    await writeFile(join(dir, 'main.ts'), "import { greeting } from './greeting';\nconsole.log(`${greeting} from ${process.pid}`);\nsetInterval(() => undefined, 1_000);\n");
    const logs = new ProcessLogs('capture');
    const watched = new ManagedProcess(typeScriptProcess('watched', REPOSITORY_ROOT, join(dir, 'main.ts'), process.env, { watch: true }), logs);
    /** The id of the process that printed `text`, once one did. */
    const pidThatPrinted = (text: string) =>
      logs
        .of('watched')
        .map((line) => new RegExp(`^${text} from (\\d+)$`).exec(line)?.[1])
        .find(Boolean);

    watched.start();
    try {
      const first = await waitFor(() => pidThatPrinted('hello'), { description: 'the first run' });
      // Written again until the restart shows: the watcher may begin watching the file only after the first run printed.
      const restarted = await waitFor(
        async () => {
          await writeGreeting('hello again');
          return pidThatPrinted('hello again');
        },
        { description: 'a run with the changed module', intervalMs: 1_000, timeoutMs: 20_000 },
      );
      expect(restarted).not.toBe(first);

      await watched.stop();
      expect(() => process.kill(Number(restarted), 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    } finally {
      await watched.stop();
    }
  });
});
