import { INestApplication, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { MessagingModule } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import type { DestinationStream } from 'pino';
import { createApp } from './bootstrap';

/** Start-up work that waits for a dependency, as setting up the streams waits through a NATS outage. */
@Injectable()
class WaitingStartUp implements OnApplicationBootstrap {
  static release?: () => void;
  private readonly logger = new Logger(WaitingStartUp.name);

  async onApplicationBootstrap(): Promise<void> {
    this.logger.warn('waiting for a dependency');
    await new Promise<void>((resolve) => (WaitingStartUp.release = resolve));
  }
}

describe('start-up logs', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('are written as they happen, not once start-up is over', async () => {
    const lines: string[] = [];
    const logDestination: DestinationStream = { write: (line: string) => void lines.push(line) };
    const module = {
      module: class WaitingStartUpModule {},
      imports: [MessagingModule.forRoot({ serviceName: 'runtime-waiting', natsUrl: nats.url })],
      providers: [WaitingStartUp],
    };
    app = await createApp(module, { name: 'runtime-waiting', port: 0, host: '127.0.0.1', consumesMessages: false, callers: new LocalCallerTokens().verifier, logDestination });
    const started = app.init();

    await waitFor(() => lines.some((line) => line.includes('waiting for a dependency')), { description: 'the line logged while start-up waits' });
    WaitingStartUp.release?.();
    await started;
  });
});
