import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const REGISTER = path.join(__dirname, '..', '..', '..', 'tools', 'register.cjs');
const CARRIER_MAIN = path.join(__dirname, 'carrier.main.ts');

/** Runs the carrier simulator's entry point as its own process, as the local stack does. */
function startCarrier(faults: string): { process: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', REGISTER, CARRIER_MAIN], {
    env: { ...process.env, PORT: '0', SIMULATOR_FAULTS: faults },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { process: child, output: () => output, exited };
}

async function listeningUrl(carrier: ReturnType<typeof startCarrier>): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const url = /listening on (http:\/\/\S+)/.exec(carrier.output())?.[1];
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The carrier simulator did not start: ${carrier.output()}`);
}

describe('simulator entry point', () => {
  it('injects the faults given in SIMULATOR_FAULTS from the start', async () => {
    const faults = { rules: [{ route: 'POST /v1/shipments', failNext: { count: 1, status: 503 }, retryAfterSeconds: 4 }] };
    const carrier = startCarrier(JSON.stringify(faults));
    try {
      const url = await listeningUrl(carrier);
      const book = () =>
        fetch(`${url}/v1/shipments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'shipment-order-1' },
          body: JSON.stringify({
            reference: 'order-1',
            address: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
          }),
        });

      const faulted = await book();
      const booked = await book();

      expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([503, '4']);
      expect(booked.status).toBe(201);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    } finally {
      carrier.process.kill('SIGTERM');
      await carrier.exited;
    }
  });

  it('refuses to start with invalid SIMULATOR_FAULTS and says why', async () => {
    const carrier = startCarrier(JSON.stringify({ rules: [{ route: 'POST /v1/parcels' }] }));

    expect(await carrier.exited).toBe(1);
    expect(carrier.output()).toMatch(/SIMULATOR_FAULTS is invalid: Unknown route\(s\) POST \/v1\/parcels/);
  });
});
