import { useState } from 'react';
import { type DeadLetter, describeFailure, discardDeadLetter, getDeadLetter, replayDeadLetter } from '../api';
import { rolesOf } from '../audit/audit-format';
import { ColumnHeads } from '../column-heads';
import { ConfirmDialog } from '../confirm-dialog';
import { hrefOf } from '../route';
import { useLoaded } from '../use-loaded';
import { DeadLetterAudit } from './dead-letter-audit';
import { attempts, orderIdOf } from './groups';
import { PayloadEditor } from './payload-editor';
import { historyErrorText } from './history';

type Action = 'replay' | 'discard';

const QUESTIONS: Record<Action, { title: string; confirm: string; consequence: string }> = {
  replay: {
    title: 'Replay this dead letter?',
    confirm: 'Replay',
    consequence: 'It is published again to its original subject and leaves the queue. Replay only once its cause is fixed; if it fails again it comes back as a new dead letter.',
  },
  discard: {
    title: 'Discard this dead letter?',
    confirm: 'Discard',
    consequence: 'It leaves the queue for good and nothing processes it. Discard only what was handled by other means.',
  },
};

/** One dead letter in full, with replay and discard behind a confirmation, edit-and-replay for editors, and its audit trail. */
export function DeadLetterDetail({ token, id, onGone }: { token: string; id: number; onGone: () => void }) {
  const [letter] = useLoaded(() => getDeadLetter(token, id), [token, id]);
  const [asking, setAsking] = useState<Action>();
  const [outcome, setOutcome] = useState<{ done: boolean; text: string }>();
  const [editing, setEditing] = useState(false);
  const [acted, setActed] = useState(0);
  const done = (text: string) => {
    setOutcome({ done: true, text });
    setActed((count) => count + 1);
    onGone();
  };

  const act = async (action: Action) => {
    setAsking(undefined);
    try {
      if (action === 'replay') {
        const replayed = await replayDeadLetter(token, id);
        done(`Replayed: published to ${replayed.subject} as message ${replayed.sequence} of stream ${replayed.stream}.`);
      } else {
        await discardDeadLetter(token, id);
        done('Discarded.');
      }
    } catch (error) {
      setOutcome({ done: false, text: describeFailure(error) });
    }
  };

  return (
    <section aria-labelledby="dead-letter-title" className="detail">
      <h2 id="dead-letter-title">Dead letter #{id}</h2>
      {letter.state === 'loading' && <p role="status">Loading…</p>}
      {letter.state === 'failed' && (
        <p role="alert" className="problem">
          {letter.problem}
        </p>
      )}
      {outcome && (
        <p role={outcome.done ? 'status' : 'alert'} className={outcome.done ? 'done' : 'problem'}>
          {outcome.text}
        </p>
      )}
      {letter.state === 'loaded' && !outcome?.done && (
        <>
          <dl>
            <dt>Service / consumer</dt>
            <dd>
              {letter.value.service} / {letter.value.consumer}
            </dd>
            <dt>Subject</dt>
            <dd>{letter.value.subject}</dd>
            <dt>Came from</dt>
            <dd>
              {letter.value.stream} message {letter.value.streamSequence}
            </dd>
            <dt>Failed</dt>
            <dd>
              {new Date(letter.value.failedAt).toLocaleString()}, {letter.value.kind} after {attempts(letter.value.attempts)}
            </dd>
            <dt>Error</dt>
            <dd className="error-text">{letter.value.error}</dd>
            <dt>Order</dt>
            <dd>{orderLink(orderIdOf(letter.value.payload))}</dd>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => setAsking('replay')}>
              Replay…
            </button>
            <button type="button" className="danger" onClick={() => setAsking('discard')}>
              Discard…
            </button>
            {rolesOf(token).includes('ops-editor') && letter.value.payloadEncoding === 'json' && (
              <button type="button" onClick={() => setEditing(true)}>
                Edit and replay…
              </button>
            )}
          </div>
          {editing && <PayloadEditor token={token} letter={letter.value} onReplayed={done} onClose={() => setEditing(false)} />}
          <DeliveryHistory history={letter.value.history} error={letter.value.error} />
          <h3>Headers</h3>
          <table>
            <tbody>
              {Object.entries(letter.value.headers).map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Payload ({letter.value.payloadEncoding})</h3>
          <pre tabIndex={0} aria-label="Payload">
            {letter.value.payloadEncoding === 'json' ? JSON.stringify(letter.value.payload, null, 2) : String(letter.value.payload)}
          </pre>
        </>
      )}
      <DeadLetterAudit token={token} id={id} generation={acted} />
      {asking && (
        <ConfirmDialog title={QUESTIONS[asking].title} confirmLabel={QUESTIONS[asking].confirm} onConfirm={() => void act(asking)} onCancel={() => setAsking(undefined)}>
          <p>{QUESTIONS[asking].consequence}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function orderLink(orderId: string | undefined) {
  if (!orderId) return 'none named in the payload';
  return <a href={hrefOf({ page: 'sagas', orderId })}>{orderId}</a>;
}

/** Every failed delivery, with the replica that made it: whether the failures followed one replica or all of them. */
function DeliveryHistory({ history, error }: Pick<DeadLetter, 'history' | 'error'>) {
  if (history.length === 0) return <p>No delivery history: its service records none, or it failed before histories were kept.</p>;
  return (
    <table>
      <caption>Failed deliveries, oldest first</caption>
      <ColumnHeads names={['Attempt', 'Failed at', 'Replica', 'Error']} />
      <tbody>
        {history.map((failure) => (
          <tr key={failure.attempt}>
            <th scope="row">{failure.attempt}</th>
            <td>{new Date(failure.failedAt).toLocaleString()}</td>
            <td>{failure.replica}</td>
            <td className="error-text">{historyErrorText(failure, error) ?? <em>the error above</em>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
