import { ManagedProcess } from './managed-process';
import { ProcessLogs } from './process-logs';

function nodeProcess(name: string, script: string, logs: ProcessLogs): ManagedProcess {
  return new ManagedProcess({ name, command: process.execPath, args: ['-e', script] }, logs);
}

describe('ManagedProcess', () => {
  it('captures output line by line and reports how the process ended', async () => {
    const logs = new ProcessLogs('capture');
    const child = nodeProcess('greeter', `console.log('hello'); console.error('oops'); process.exit(3)`, logs);
    child.start();
    expect(await child.waitForExit()).toEqual({ code: 3, signal: null });
    expect(child.isRunning).toBe(false);
    expect(logs.of('greeter')).toEqual(['hello', 'oops', 'exited (code 3)']);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const logs = new ProcessLogs('capture');
    const stubborn = nodeProcess('stubborn', `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000)`, logs);
    stubborn.start();
    await stubborn.waitUntilReady(async () => logs.of('stubborn').includes('up'), { description: 'stubborn to start' });
    expect(await stubborn.stop('SIGTERM', 300)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(logs.of('stubborn')).toContain('ignoring SIGTERM');
  });

  it('can be started again after it stopped', async () => {
    const logs = new ProcessLogs('capture');
    const server = nodeProcess('server', `console.log('started'); setInterval(() => {}, 1000)`, logs);
    for (let run = 1; run <= 2; run++) {
      server.start();
      await server.waitUntilReady(async () => logs.of('server').filter((line) => line === 'started').length === run, { description: `run ${run}` });
      await server.stop();
    }
    expect(server.isRunning).toBe(false);
  });

  it('freezes a process with SIGSTOP and thaws it with SIGCONT', async () => {
    const logs = new ProcessLogs('capture');
    const ticker = nodeProcess('ticker', `setInterval(() => console.log('tick'), 20)`, logs);
    const ticks = () => logs.of('ticker').length;
    ticker.start();
    try {
      await ticker.waitUntilReady(async () => ticks() > 0, { description: 'ticker to tick' });
      ticker.signal('SIGSTOP');
      // Output already on its way may still arrive just after the signal.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const frozenAt = ticks();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ticks()).toBe(frozenAt);

      ticker.signal('SIGCONT');
      await ticker.waitUntilReady(async () => ticks() > frozenAt, { description: 'ticker to tick again' });
    } finally {
      await ticker.stop();
    }
  });

  it('stops a frozen process without waiting out the grace period', async () => {
    const logs = new ProcessLogs('capture');
    const frozen = nodeProcess('frozen', `console.log('up'); setInterval(() => {}, 1000)`, logs);
    frozen.start();
    await frozen.waitUntilReady(async () => logs.of('frozen').includes('up'), { description: 'frozen to start' });
    frozen.signal('SIGSTOP');

    // Longer than the test timeout: only the SIGTERM can end the process in time.
    expect(await frozen.stop('SIGTERM', 60_000)).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('stops waiting for readiness as soon as the process dies, quoting its last output', async () => {
    const logs = new ProcessLogs('capture');
    const crashing = nodeProcess('crashing', `console.error('cannot bind port 3000'); process.exit(1)`, logs);
    crashing.start();
    await expect(crashing.waitUntilReady(async () => false, { description: 'crashing to be ready', timeoutMs: 30_000 })).rejects.toThrow(
      /crashing exited \(code 1\) while waiting for crashing to be ready\nLast output of crashing:\n {2}cannot bind port 3000/,
    );
  });

  it('reports a command that cannot be started', async () => {
    const logs = new ProcessLogs('capture');
    const missing = new ManagedProcess({ name: 'missing', command: 'definitely-not-an-installed-command', args: [] }, logs);
    missing.start();
    expect(await missing.waitForExit()).toEqual({ code: null, signal: null });
    expect(logs.of('missing')).toEqual([expect.stringMatching(/failed to start definitely-not-an-installed-command: spawn .* ENOENT/)]);
  });
});
