import { useState } from 'react';
import { DeadLetterSummary } from '../api';
import { actOnDeadLetters, BULK_LIMIT } from '../audit/audit-api';
import { ConfirmDialog } from '../confirm-dialog';
import { describeOutcome, inBatches } from './bulk';

const ACTIONS = {
  replay: { verb: 'Replayed', label: 'Replay', consequence: 'Each is published again to its original subject and leaves the queue.' },
  discard: { verb: 'Discarded', label: 'Discard', consequence: 'Each leaves the queue for good and nothing processes it.' },
};

type Action = keyof typeof ACTIONS;

/** Replays or discards every dead letter the filters show, after a confirmation that says how many. */
export function BulkActions({ token, deadLetters, onDone }: { token: string; deadLetters: readonly DeadLetterSummary[]; onDone: () => void }) {
  const [asking, setAsking] = useState<Action>();
  const [working, setWorking] = useState(false);
  const [result, setResult] = useState<string>();

  const act = async (action: Action) => {
    setAsking(undefined);
    setWorking(true);
    const outcome = await inBatches(
      deadLetters.map((deadLetter) => deadLetter.id),
      BULK_LIMIT,
      (ids) => actOnDeadLetters(token, action, ids),
    );
    setWorking(false);
    setResult(describeOutcome(ACTIONS[action].verb, outcome));
    onDone();
  };

  return (
    <div className="actions" role="group" aria-label="Act on every dead letter shown">
      {(Object.keys(ACTIONS) as Action[]).map((action) => (
        <button key={action} type="button" className={action === 'discard' ? 'danger' : undefined} disabled={working || deadLetters.length === 0} onClick={() => setAsking(action)}>
          {ACTIONS[action].label} all {deadLetters.length} shown…
        </button>
      ))}
      {working && <span role="status">Working…</span>}
      {result && <span role="status">{result}</span>}
      {asking && (
        <ConfirmDialog
          title={`${ACTIONS[asking].label} ${deadLetters.length} dead letters?`}
          confirmLabel={`${ACTIONS[asking].label} ${deadLetters.length}`}
          onConfirm={() => void act(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <p>
            Every dead letter the filters show, {deadLetters.length} in all, oldest first; the gateway acts on them and records it in the audit trail. {ACTIONS[asking].consequence}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
