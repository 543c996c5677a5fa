import { historyErrorText } from './history';

const failure = (error: string) => ({ attempt: 1, failedAt: '2025-11-21T10:20:01.000Z', replica: 'payment-service-a:1', error });

describe("a dead letter's failed deliveries", () => {
  it("leaves out an error that is the dead letter's own, whole or cut short, and shows any other", () => {
    const letterError = `Payment provider answered 503 ${'x'.repeat(400)}`;
    expect(historyErrorText(failure(letterError), letterError)).toBeNull();
    expect(historyErrorText(failure(letterError.slice(0, 300)), letterError)).toBeNull();
    expect(historyErrorText(failure('Payment provider timed out'), letterError)).toBe('Payment provider timed out');
  });
});
