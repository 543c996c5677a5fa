import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  natsServer: string;
  postgres?: string;
}

/** What the numbers were measured on; `postgres` is the server's own `version()`. */
export async function describeMachine(postgres?: string): Promise<Machine> {
  const { stdout } = await promisify(execFile)('nats-server', ['--version']).catch(() => ({ stdout: 'unknown' }));
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    natsServer: stdout.trim(),
    postgres,
  };
}
