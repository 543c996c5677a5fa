import { useState } from 'react';
import { DeadLetterSummary, discardDeadLetter, replayDeadLetter } from '../api';
import { ConfirmDialog } from '../confirm-dialog';
import { describeOutcome, onEach } from './bulk';

const ACTIONS = {
  replay: { verb: 'Replayed', label: 'Replay', run: replayDeadLetter, consequence: 'Each is published again to its original subject and leaves the queue.' },
  discard: { verb: 'Discarded', label: 'Discard', run: discardDeadLetter, consequence: 'Each leaves the queue for good and nothing processes it.' },
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
    const { verb, run } = ACTIONS[action];
    const outcome = await onEach(
      deadLetters.map((deadLetter) => deadLetter.id),
      (id) => run(token, id),
    );
    setWorking(false);
    setResult(describeOutcome(verb, outcome));
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
          <p>Every dead letter the filters show, one after the other. {ACTIONS[asking].consequence}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
