import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { PrivateNatsServer, startPrivateNatsServer } from './index';

async function withConnection<T>(url: string, work: (connection: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const connection = await connect({ servers: url });
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

describe('startPrivateNatsServer', () => {
  let server: PrivateNatsServer;

  beforeAll(async () => {
    server = await startPrivateNatsServer();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('keeps JetStream messages across a stop and a start on the same port', async () => {
    await withConnection(server.url, async (connection) => {
      const manager = await jetstreamManager(connection);
      await manager.streams.add({ name: 'OUTAGE', subjects: ['outage.>'] });
      await jetstream(connection).publish('outage.test', 'kept across restarts');
    });

    await server.stop();
    await expect(connect({ servers: server.url, maxReconnectAttempts: 0, timeout: 1_000 })).rejects.toThrow();

    await server.start();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const stored = await withConnection(server.url, async (connection) => {
      const manager = await jetstreamManager(connection);
      return manager.streams.getMessage('OUTAGE', { seq: 1 });
    });
    expect(stored?.subject).toBe('outage.test');
    expect(stored?.string()).toBe('kept across restarts');
  }, 30_000);
});
