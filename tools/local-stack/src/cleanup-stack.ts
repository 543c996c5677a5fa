import { errorMessage } from '@orders/local-processes';

interface CleanupStep {
  description: string;
  run: () => Promise<unknown>;
}

/**
 * Undo steps registered while something is built up, run in reverse order: what
 * started last stops first. Used both for a normal stop and after a failed start.
 */
export class CleanupStack {
  private readonly steps: CleanupStep[] = [];

  constructor(private readonly onStep: (description: string) => void = () => undefined) {}

  push(description: string, run: () => Promise<unknown>): void {
    this.steps.push({ description, run });
  }

  /** Runs every step, even after one fails; then reports all failures together. */
  async run(): Promise<void> {
    const failures: Error[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      this.onStep(step.description);
      try {
        await step.run();
      } catch (error) {
        failures.push(new Error(`Could not ${step.description}: ${errorMessage(error)}`, { cause: error }));
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, failures.map((failure) => failure.message).join('\n'));
  }
}
