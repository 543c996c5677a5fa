import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractViolation } from './contract-violation';
import { EventDefinition } from './event-definition';
import { EVENT_CATALOG } from './events';
import { SAGA_EVENT_MEANINGS, sagaEventMeaning, SagaEventMeaning, timelineEntryOf } from './saga-steps';

/** What an event's schema says about a payload that has nothing valid: which fields it requires and which values `reason` may take. */
function schemaOf(definition: EventDefinition<unknown>): { aboutAnOrder: boolean; reasons: readonly string[] | null } {
  const envelope = { id: 'probe', type: definition.type, version: definition.latestVersion, occurredAt: 'probe', correlationId: 'probe', causationId: null, data: { reason: 0 } };
  try {
    definition.parse(envelope);
  } catch (error) {
    const issues = (error as ContractViolation).issues as { path: PropertyKey[]; values?: string[] }[];
    const reason = issues.find((issue) => issue.path[0] === 'reason' && issue.values);
    return { aboutAnOrder: issues.some((issue) => issue.path[0] === 'orderId'), reasons: reason?.values ?? null };
  }
  throw new Error(`${definition.type} accepted a payload without an order`);
}

/** The events the participants publish about an order: what the order-service consumes. */
const sagaEvents = [...EVENT_CATALOG.values()].filter((definition) => definition.context !== 'order' && schemaOf(definition).aboutAnOrder);

describe('saga event meanings', () => {
  it.each(sagaEvents.map((definition) => [definition.type, definition] as const))('give %s exactly one meaning for each of its reasons', (_type, definition) => {
    const meanings = SAGA_EVENT_MEANINGS.filter((meaning) => meaning.event === definition);
    const reasons = schemaOf(definition).reasons;
    if (reasons === null) {
      expect(meanings).toEqual([expect.not.objectContaining({ reasons: expect.anything() })]);
      return;
    }
    for (const reason of reasons) {
      expect([reason, meanings.filter((meaning) => !meaning.reasons || meaning.reasons.includes(reason)).length]).toEqual([reason, 1]);
    }
    const named = meanings.flatMap((meaning) => meaning.reasons ?? []);
    expect(named.filter((reason) => !reasons.includes(reason))).toEqual([]);
  });

  it('are given only to events of the catalogue the participants publish about an order', () => {
    const strangers = SAGA_EVENT_MEANINGS.filter((meaning) => !sagaEvents.includes(meaning.event)).map((meaning) => meaning.event.type);
    expect(strangers).toEqual([]);
  });

  it('are looked up by type and reason', () => {
    expect(sagaEventMeaning('shipping.scheduled').effect).toEqual({ kind: 'step', step: 'SHIPMENT_SCHEDULED' });
    expect(sagaEventMeaning('shipping.failed', 'CARRIER_REJECTED').effect).toEqual({ kind: 'cancellation', reason: 'SHIPPING_UNAVAILABLE' });
    expect(sagaEventMeaning('inventory.released', 'RESTOCKED').effect).toEqual({ kind: 'compensation', compensation: 'INVENTORY_RESTOCKED' });
    expect(() => sagaEventMeaning('inventory.released', 'LOST')).toThrow('inventory.released (LOST) means nothing to an order');
    expect(() => sagaEventMeaning('order.placed')).toThrow('order.placed means nothing to an order');
  });
});

const SAGA_DOC = join(__dirname, '../../../docs/saga.md');
const BEGIN = '<!-- saga-event-meanings:begin (generated from libs/contracts/src/saga-steps.ts) -->';
const END = '<!-- saga-event-meanings:end -->';

function code(text: string): string {
  return `\`${text}\``;
}

function row(meaning: SagaEventMeaning): string {
  const { event, reasons, effect, readModel } = meaning;
  const step = effect.kind === 'step' ? code(effect.step) : effect.kind;
  const stage = readModel ? ('payment' in readModel ? `payment ${code(readModel.payment)}` : `shipment ${code(readModel.shipment)}`) : '—';
  const cancellationReason = effect.kind === 'cancellation' ? code(effect.reason) : '—';
  const when = reasons ? `\`reason\` ${reasons.map(code).join(' or ')}` : 'always';
  return `| ${code(event.type)} | ${when} | ${step} | ${code(timelineEntryOf(effect))} | ${stage} | ${cancellationReason} |`;
}

function renderedTable(): string {
  return ['| Event | When | Saga step | Timeline entry | Read model | Cancellation reason |', '|---|---|---|---|---|---|', ...SAGA_EVENT_MEANINGS.map(row)].join('\n');
}

describe('docs/saga.md', () => {
  it('shows the table of saga event meanings as the code has it', () => {
    const doc = readFileSync(SAGA_DOC, 'utf8');
    const begin = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect([begin, end].every((index) => index >= 0) && begin < end).toBe(true);
    // On a difference, paste the expected table between the markers.
    expect(doc.slice(begin + BEGIN.length, end).trim()).toBe(renderedTable());
  });
});
