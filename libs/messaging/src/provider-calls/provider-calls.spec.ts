import { EventEnvelope } from '@orders/contracts';
import { MessageTransactions, Transaction } from '@orders/persistence';
import { PrecedingEventMissing } from '../jetstream/handler-failure';
import { OrderStates, ProviderCalls, ProviderStep, ProviderUndo, StepStanding, UndoneHere } from './provider-calls';

const ORDER = 'order-1';
const CONSUMER = 'participant-consumer';

type Status = 'AWAITING' | 'DONE' | 'REFUSED' | 'CANCELLED' | 'UNDONE';
type Outcome = { kind: 'done'; resultId: string } | { kind: 'refused' };
type Done = Extract<Outcome, { kind: 'done' }>;
type AtProvider = { kind: 'undo'; resultId: string };

/** A participant's state of an order, shaped like a payment or a shipment. */
class Step {
  constructor(
    public status: Status,
    public resultId: string | null = null,
  ) {}

  /** Whether a result came after the order was cancelled and still has to be undone. */
  get holdsLateResult(): boolean {
    return this.status === 'CANCELLED' && this.resultId !== null;
  }

  compensation(): UndoneHere | AtProvider {
    if (this.status === 'AWAITING') return { kind: 'cancel' };
    if ((this.status === 'DONE' || this.holdsLateResult) && this.resultId) return { kind: 'undo', resultId: this.resultId };
    return { kind: 'none' };
  }

  cancel(): void {
    this.status = 'CANCELLED';
  }

  copy(): Step {
    return new Step(this.status, this.resultId);
  }
}

/** Committed rows, an inbox and an outbox; a transaction's writes count only if its work succeeds. */
class FakeDatabase implements OrderStates<Step> {
  committed: Step | null = null;
  readonly inbox = new Set<string>();
  readonly outbox: EventEnvelope[] = [];
  /** Runs between reading the committed state and locking it, like a concurrent handler would. */
  beforeLock?: () => void;
  /** What the running transaction wrote; the fake runs one at a time. */
  private writes?: { saved?: Step };

  readonly transactions: Pick<MessageTransactions, 'run' | 'processOnce' | 'wasProcessed'> = {
    run: async (work) => {
      const writes: { saved?: Step } = {};
      const events: EventEnvelope[] = [];
      this.writes = writes;
      try {
        const result = await work({ query: unusedSql, write: unusedSql, publish: async (...published) => void events.push(...published) });
        if (writes.saved) this.committed = writes.saved;
        this.outbox.push(...events);
        return result;
      } finally {
        this.writes = undefined;
      }
    },
    processOnce: (event, consumer, work) =>
      this.transactions.run(async (tx) => {
        if (this.inbox.has(`${consumer}/${event.id}`)) return false;
        await work(tx);
        this.inbox.add(`${consumer}/${event.id}`);
        return true;
      }),
    wasProcessed: async (event, consumer) => this.inbox.has(`${consumer}/${event.id}`),
  };

  async findByOrder(): Promise<Step | null> {
    const found = this.committed?.copy() ?? null;
    this.beforeLock?.();
    return found;
  }

  async lockByOrder(): Promise<Step | null> {
    return this.committed?.copy() ?? null;
  }

  async save(_tx: Transaction, state: Step): Promise<void> {
    if (!this.writes) throw new Error('Saved outside a transaction');
    this.writes.saved = state;
  }
}

function envelope(type: string, id = `${type}-id`): EventEnvelope {
  return { id, type, version: 1, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: ORDER, causationId: null, data: { orderId: ORDER } };
}

function setUp(initial: Step | null) {
  const db = new FakeDatabase();
  db.committed = initial;
  const calls = new ProviderCalls(db.transactions as MessageTransactions);
  const provider = {
    take: jest.fn<Promise<Outcome>, [string]>(async () => ({ kind: 'done', resultId: 'result-1' })),
    undo: jest.fn<Promise<void>, [string]>(async () => undefined),
  };

  const undoing: ProviderUndo<Step, AtProvider> = {
    orderId: ORDER,
    subject: 'step',
    states: db,
    undoAtProvider: async ({ resultId }) => {
      await provider.undo(resultId);
      return (state) => {
        state.status = 'UNDONE';
        return envelope('step.undone');
      };
    },
    cancelledBeforehand: () => new Step('CANCELLED'),
  };

  const step: ProviderStep<Step, string, Outcome, Done> = {
    orderId: ORDER,
    subject: 'step',
    states: db,
    standing: (state): StepStanding<string> => {
      if (state.status === 'AWAITING') return { kind: 'awaiting', request: 'request-1' };
      if (state.holdsLateResult) return { kind: 'holds-late-result' };
      if (state.status === 'CANCELLED') return { kind: 'cancelled', request: 'request-1' };
      return { kind: 'settled' };
    },
    call: (request) => provider.take(request),
    isResult: (outcome) => outcome.kind === 'done',
    record: (state, outcome) => {
      state.status = outcome.kind === 'done' ? 'DONE' : 'REFUSED';
      state.resultId = outcome.kind === 'done' ? outcome.resultId : null;
      return envelope(outcome.kind === 'done' ? 'step.done' : 'step.refused');
    },
    recordLateResult: (state, result) => {
      state.resultId = result.resultId;
    },
    undoLateResult: () => calls.undoLateResult(undoing),
  };
  return { db, calls, provider, step, undoing };
}

const types = (events: EventEnvelope[]) => events.map((event) => event.type);

describe('ProviderCalls', () => {
  const event = envelope('order.ready');
  const cancelled = envelope('order.cancelled');

  describe('taking a step', () => {
    it('calls the provider and records its outcome with the inbox row and the event', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      await calls.takeStep(event, CONSUMER, false, step);
      expect(provider.take).toHaveBeenCalledWith('request-1');
      expect(db.committed).toEqual(new Step('DONE', 'result-1'));
      expect(types(db.outbox)).toEqual(['step.done']);
      expect(db.inbox.has(`${CONSUMER}/${event.id}`)).toBe(true);
    });

    it('records a refusal like any outcome', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      provider.take.mockResolvedValueOnce({ kind: 'refused' });
      await calls.takeStep(event, CONSUMER, false, step);
      expect(db.committed?.status).toBe('REFUSED');
      expect(types(db.outbox)).toEqual(['step.refused']);
    });

    it('does nothing for an event it processed already', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      db.inbox.add(`${CONSUMER}/${event.id}`);
      await calls.takeStep(event, CONSUMER, true, step);
      expect(provider.take).not.toHaveBeenCalled();
      expect(db.outbox).toEqual([]);
    });

    it('waits for the event that creates the state', async () => {
      const { db, calls, provider, step } = setUp(null);
      await expect(calls.takeStep(event, CONSUMER, false, step)).rejects.toBeInstanceOf(PrecedingEventMissing);
      expect(provider.take).not.toHaveBeenCalled();
      expect(db.inbox.size).toBe(0);
    });

    it('asks nothing for a state cancelled before the first delivery', async () => {
      const { db, calls, provider, step } = setUp(new Step('CANCELLED'));
      await calls.takeStep(event, CONSUMER, false, step);
      expect(provider.take).not.toHaveBeenCalled();
      expect(db.inbox.size).toBe(0);
    });

    it('asks again on a retry for a state cancelled meanwhile, and undoes the result an earlier delivery may have got', async () => {
      const { db, calls, provider, step } = setUp(new Step('CANCELLED'));
      await calls.takeStep(event, CONSUMER, true, step);
      expect(provider.take).toHaveBeenCalledWith('request-1');
      expect(provider.undo).toHaveBeenCalledWith('result-1');
      expect(db.committed).toEqual(new Step('UNDONE', 'result-1'));
      expect(types(db.outbox)).toEqual(['step.undone']);
      expect(db.inbox.has(`${CONSUMER}/${event.id}`)).toBe(true);
    });

    it('keeps a result that came after the order was cancelled only to undo it', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      provider.take.mockImplementationOnce(async () => {
        db.committed = new Step('CANCELLED');
        return { kind: 'done', resultId: 'result-1' };
      });
      await calls.takeStep(event, CONSUMER, false, step);
      expect(provider.undo).toHaveBeenCalledWith('result-1');
      expect(db.committed).toEqual(new Step('UNDONE', 'result-1'));
      expect(types(db.outbox)).toEqual(['step.undone']);
    });

    it('records nothing for a refusal that came after the order was cancelled', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      provider.take.mockImplementationOnce(async () => {
        db.committed = new Step('CANCELLED');
        return { kind: 'refused' };
      });
      await calls.takeStep(event, CONSUMER, false, step);
      expect(provider.undo).not.toHaveBeenCalled();
      expect(db.committed).toEqual(new Step('CANCELLED'));
      expect(db.outbox).toEqual([]);
    });

    it('undoes a late result an earlier delivery recorded before looking at the inbox', async () => {
      const { db, calls, provider, step } = setUp(new Step('CANCELLED', 'result-1'));
      db.inbox.add(`${CONSUMER}/${event.id}`);
      await calls.takeStep(event, CONSUMER, true, step);
      expect(provider.take).not.toHaveBeenCalled();
      expect(provider.undo).toHaveBeenCalledWith('result-1');
      expect(db.committed?.status).toBe('UNDONE');
    });

    it('leaves a state a concurrent duplicate settled first as it is', async () => {
      const { db, calls, provider, step } = setUp(new Step('AWAITING'));
      provider.take.mockImplementationOnce(async () => {
        db.committed = new Step('DONE', 'result-1');
        return { kind: 'done', resultId: 'result-1' };
      });
      await calls.takeStep(event, CONSUMER, false, step);
      expect(db.outbox).toEqual([]);
      expect(db.inbox.has(`${CONSUMER}/${event.id}`)).toBe(true);
    });
  });

  describe('undoing', () => {
    it('undoes at the provider and records it with the inbox row and the event', async () => {
      const { db, calls, provider, undoing } = setUp(new Step('DONE', 'result-1'));
      await calls.undo(cancelled, CONSUMER, undoing);
      expect(provider.undo).toHaveBeenCalledWith('result-1');
      expect(db.committed?.status).toBe('UNDONE');
      expect(types(db.outbox)).toEqual(['step.undone']);
      expect(db.inbox.has(`${CONSUMER}/${cancelled.id}`)).toBe(true);
    });

    it('does nothing for an event it processed already', async () => {
      const { db, calls, provider, undoing } = setUp(new Step('DONE', 'result-1'));
      db.inbox.add(`${CONSUMER}/${cancelled.id}`);
      await calls.undo(cancelled, CONSUMER, undoing);
      expect(provider.undo).not.toHaveBeenCalled();
      expect(db.committed?.status).toBe('DONE');
    });

    it('only cancels a state nothing of which reached the provider', async () => {
      const { db, calls, provider, undoing } = setUp(new Step('AWAITING'));
      await calls.undo(cancelled, CONSUMER, undoing);
      expect(provider.undo).not.toHaveBeenCalled();
      expect(db.committed?.status).toBe('CANCELLED');
      expect(db.outbox).toEqual([]);
    });

    it('records the cancellation of an order that has not reached the participant yet', async () => {
      const { db, calls, provider, undoing } = setUp(null);
      await calls.undo(cancelled, CONSUMER, undoing);
      expect(provider.undo).not.toHaveBeenCalled();
      expect(db.committed).toEqual(new Step('CANCELLED'));
    });

    it('decides again when the state changed while the provider was undoing', async () => {
      const { db, calls, undoing } = setUp(new Step('AWAITING'));
      db.beforeLock = () => (db.committed = new Step('DONE', 'result-1'));
      await expect(calls.undo(cancelled, CONSUMER, undoing)).rejects.toThrow('The step of order order-1 became DONE while being undone; deciding again');
      expect(db.committed?.status).toBe('DONE');
      expect(db.inbox.size).toBe(0);
    });

    it('records nothing twice when a concurrent event undid it first', async () => {
      const { db, calls, provider, undoing } = setUp(new Step('DONE', 'result-1'));
      provider.undo.mockImplementationOnce(async () => void (db.committed = new Step('UNDONE', 'result-1')));
      await calls.undo(cancelled, CONSUMER, undoing);
      expect(db.outbox).toEqual([]);
      expect(db.inbox.has(`${CONSUMER}/${cancelled.id}`)).toBe(true);
    });

    it('records the undoing of a late result on its own, without an inbox row', async () => {
      const { db, calls, undoing } = setUp(new Step('CANCELLED', 'result-1'));
      await calls.undoLateResult(undoing);
      expect(db.committed?.status).toBe('UNDONE');
      expect(types(db.outbox)).toEqual(['step.undone']);
      expect(db.inbox.size).toBe(0);
    });
  });
});

/** The fake transaction's state lives in memory: its steps send no SQL. */
function unusedSql(): never {
  throw new Error('The fake transaction runs no SQL');
}
