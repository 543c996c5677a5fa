type Release = () => Promise<void>;

/**
 * What the bench started and must stop. Each resource is released when the scope that
 * took hold of it ends, however it ends; on Ctrl-C whatever is still held is released
 * at once, newest first, so no child process or private nats-server outlives the bench.
 */
export class Teardown {
  private readonly held: Release[] = [];
  private interruptedBy?: NodeJS.Signals;

  get interrupted(): NodeJS.Signals | undefined {
    return this.interruptedBy;
  }

  /** Runs `work`, which takes hold of resources with `hold(resource, release)`, and then releases them, newest first. */
  async scope<T>(work: (hold: <R>(resource: R, release: (resource: R) => Promise<unknown>) => R) => Promise<T>): Promise<T> {
    const inScope: Release[] = [];
    try {
      return await work((resource, release) => {
        inScope.push(this.hold(async () => void (await release(resource))));
        return resource;
      });
    } finally {
      await releaseInTurn(inScope);
    }
  }

  /** Releases everything and exits when one of `signals` arrives. */
  exitOn(signals: NodeJS.Signals[]): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.interruptedBy) return;
      this.interruptedBy = signal;
      console.error(`\nReceived ${signal}; stopping the child process and the private nats-server...`);
      void releaseInTurn([...this.held]).finally(() => process.exit(130));
    };
    for (const signal of signals) process.on(signal, onSignal);
  }

  /** Registers `release`; the returned function runs it at most once, whether the scope or an interrupt calls it first. */
  private hold(release: Release): Release {
    const once: Release = async () => {
      const index = this.held.indexOf(once);
      if (index === -1) return;
      this.held.splice(index, 1);
      await release();
    };
    this.held.push(once);
    return once;
  }
}

async function releaseInTurn(releases: Release[]): Promise<void> {
  for (const release of [...releases].reverse()) {
    await release().catch((error: unknown) => console.error(`Clean-up failed: ${String(error)}`));
  }
}
