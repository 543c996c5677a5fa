import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@orders/contracts';
import { MessageTransactions, Transaction } from '@orders/persistence';
import { PrecedingEventMissing } from '../jetstream/handler-failure';

/** A participant's state of each order (e.g. its payment or its shipment), as its repository keeps it. */
export interface OrderStates<State> {
  /** The last committed state, read outside any transaction. */
  findByOrder(orderId: string): Promise<State | null>;
  /** Loads and row-locks the state inside the caller's transaction. */
  lockByOrder(tx: Transaction, orderId: string): Promise<State | null>;
  save(tx: Transaction, state: State): Promise<void>;
}

/** The state of one order a provider call is about. */
export interface ProviderCallSubject<State extends { readonly status: string }> {
  readonly orderId: string;
  /** What the state is called in errors, e.g. "payment". */
  readonly subject: string;
  readonly states: OrderStates<State>;
}

/** Where an order's state stands for a step taken at a provider, e.g. authorizing its payment or booking its parcel. */
export type StepStanding<Request> =
  /** The step is still to be taken, with this request. */
  | { kind: 'awaiting'; request: Request }
  /**
   * Cancelled before a result was recorded. `request` is what an earlier delivery may have sent
   * without its answer coming back; null when nothing can have been sent.
   */
  | { kind: 'cancelled'; request: Request | null }
  /** A result that came after the order was cancelled is recorded and not undone yet. */
  | { kind: 'holds-late-result' }
  /** Taken, refused or undone already. */
  | { kind: 'settled' };

/** The parts of a step forward that are its own; their order and transactions are ProviderCalls'. */
export interface ProviderStep<State extends { readonly status: string }, Request, Outcome, Result extends Outcome> extends ProviderCallSubject<State> {
  standing(state: State): StepStanding<Request>;
  /** Asks the provider with an idempotency key per order and step, so asking again answers the first outcome. */
  call(request: Request): Promise<Outcome>;
  /** Whether the outcome is a result that must be undone when it comes too late (a refusal needs no undoing). */
  isResult(outcome: Outcome): outcome is Result;
  /** Applies the outcome to the awaiting state; answers the event telling the saga. */
  record(state: State, outcome: Outcome): EventEnvelope;
  /** Keeps a result that came after the order was cancelled, only to undo it. */
  recordLateResult(state: State, result: Result): void;
  /** Undoes the late result the state holds, with ProviderCalls.undoLateResult and the parts of its compensation. */
  undoLateResult(): Promise<void>;
}

/**
 * Undoing that needs no provider: nothing is left to undo, or nothing reached the provider yet,
 * so the state only ends (and is never taken forward).
 */
export type UndoneHere = { kind: 'none' } | { kind: 'cancel' };

/** A state that knows what undoing it needs, and can end without the provider when nothing reached it. */
export interface UndoableState<AtProvider extends { readonly kind: string }> {
  readonly status: string;
  compensation(): UndoneHere | AtProvider;
  /** Ends a state nothing of which reached the provider. */
  cancel(): void;
}

/** The parts of a compensation that are its own; their order and transactions are ProviderCalls'. */
export interface ProviderUndo<State extends UndoableState<AtProvider>, AtProvider extends { readonly kind: string }> extends ProviderCallSubject<State> {
  /** Undoes at the provider, idempotently per order; answers how to record that on the state, with the event telling the saga. */
  undoAtProvider(plan: AtProvider): Promise<(state: State) => EventEnvelope>;
  /** The state of an order cancelled before it reached this participant, so that it never starts. */
  cancelledBeforehand(): State;
}

/**
 * The protocol of every call to a provider made for a message: the inbox is checked first,
 * the provider is called outside any transaction (no connection is held while it answers, and
 * its idempotency key makes a repeated call answer the first outcome), the result is recorded
 * once, with the inbox row and the outbox event in one transaction, and a result that came
 * after the order was cancelled is recorded only to be undone.
 */
@Injectable()
export class ProviderCalls {
  constructor(private readonly transactions: MessageTransactions) {}

  /**
   * Takes a step forward for `event`. A state cancelled before its result was recorded is
   * asked about again only on a retry (`isRetry`): an earlier delivery may have reached the
   * provider and then timed out, crashed or lost its database connection before recording the
   * answer. The same idempotency key returns that result, which is then undone like any late
   * one (or, if the earlier delivery never reached the provider, is obtained once and undone at once).
   */
  async takeStep<State extends { readonly status: string }, Request, Outcome, Result extends Outcome>(
    event: EventEnvelope,
    consumer: string,
    isRetry: boolean,
    step: ProviderStep<State, Request, Outcome, Result>,
  ): Promise<void> {
    const { orderId, subject, states } = step;
    const state = await states.findByOrder(orderId);
    // The event creating the state has not been handled yet; throwing gets this one redelivered after it.
    if (!state) throw new PrecedingEventMissing(`No ${subject} of order ${orderId} yet`);
    const standing = step.standing(state);
    // Checked before the inbox: an earlier delivery recorded a late result, then failed to undo it.
    if (standing.kind === 'holds-late-result') return step.undoLateResult();
    const request = requestToSend(standing, isRetry);
    if (request === null || (await this.transactions.wasProcessed(event, consumer))) return;

    const outcome = await step.call(request);

    let cameTooLate = false;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await states.lockByOrder(tx, orderId);
      const now = current && step.standing(current).kind;
      // The order was cancelled while the provider was answering: keep the result only to undo it.
      if (current && now === 'cancelled' && step.isResult(outcome)) {
        step.recordLateResult(current, outcome);
        await states.save(tx, current);
        cameTooLate = true;
        return;
      }
      // A duplicate of this event, handled concurrently, settled the state first (or a refusal needs no undoing).
      if (!current || now !== 'awaiting') return;
      const recorded = step.record(current, outcome);
      await states.save(tx, current);
      await tx.publish(recorded);
    });
    if (cameTooLate) await step.undoLateResult();
  }

  /** Undoes what the order reached at the provider, once for `event`. */
  async undo<State extends UndoableState<AtProvider>, AtProvider extends { readonly kind: string }>(
    event: EventEnvelope,
    consumer: string,
    undoing: ProviderUndo<State, AtProvider>,
  ): Promise<void> {
    if (await this.transactions.wasProcessed(event, consumer)) return;
    await this.undoAndRecord(undoing, (work) => this.transactions.processOnce(event, consumer, work));
  }

  /**
   * Undoes a late result a step recorded. The step's event is marked processed already, so it
   * is recorded on its own; the step calls this again on every redelivery until it is undone.
   */
  undoLateResult<State extends UndoableState<AtProvider>, AtProvider extends { readonly kind: string }>(undoing: ProviderUndo<State, AtProvider>): Promise<void> {
    return this.undoAndRecord(undoing, (work) => this.transactions.run(work));
  }

  /**
   * Decides on the committed state, undoes at the provider outside any transaction (idempotent
   * per order, so a redelivery repeats none of it), then records the result only if the locked
   * state still needs that same undoing.
   */
  private async undoAndRecord<State extends UndoableState<AtProvider>, AtProvider extends { readonly kind: string }>(
    undoing: ProviderUndo<State, AtProvider>,
    commit: (work: (tx: Transaction) => Promise<void>) => Promise<unknown>,
  ): Promise<void> {
    const { orderId, subject, states } = undoing;
    const found = await states.findByOrder(orderId);
    // No state yet: the event creating it has not been handled here, and must then start nothing.
    const planned = found ? found.compensation() : CANCEL;
    const recordUndone = isUndoneHere(planned) ? undefined : await undoing.undoAtProvider(planned);

    await commit(async (tx) => {
      const current = await states.lockByOrder(tx, orderId);
      if (!current) {
        await states.save(tx, undoing.cancelledBeforehand());
        return;
      }
      const needed = current.compensation().kind;
      // Undone already, by a duplicate or by another compensating event handled concurrently.
      if (needed === 'none') return;
      // E.g. a result recorded since it was read: what was undone no longer covers it, so the redelivery decides again.
      if (needed !== planned.kind) throw new Error(`The ${subject} of order ${orderId} became ${current.status} while being undone; deciding again`);
      if (!recordUndone) {
        current.cancel();
        await states.save(tx, current);
        return;
      }
      const recorded = recordUndone(current);
      await states.save(tx, current);
      await tx.publish(recorded);
    });
  }
}

const CANCEL: UndoneHere = { kind: 'cancel' };

function isUndoneHere<AtProvider extends { readonly kind: string }>(plan: UndoneHere | AtProvider): plan is UndoneHere {
  return plan.kind === 'none' || plan.kind === 'cancel';
}

function requestToSend<Request>(standing: StepStanding<Request>, isRetry: boolean): Request | null {
  if (standing.kind === 'awaiting') return standing.request;
  return standing.kind === 'cancelled' && isRetry ? standing.request : null;
}
