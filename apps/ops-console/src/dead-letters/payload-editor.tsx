import { useState } from 'react';
import { ApiFailure, DeadLetter, describeFailure } from '../api';
import { editAndReplay, EditedReplay } from '../audit/audit-api';
import { describeChange, parseEditedPayload } from '../audit/audit-format';
import { ConfirmDialog } from '../confirm-dialog';

type Problems = Array<{ path: string; message: string }>;

/** The gateway's 422 lists each problem with its path; anything else is one problem. */
function problemsOf(error: unknown): Problems {
  if (error instanceof ApiFailure && Array.isArray(error.details)) return error.details as Problems;
  return [{ path: '', message: describeFailure(error) }];
}

/**
 * Edits a dead letter's JSON payload and replays it: the gateway checks the edit against the event's
 * schema and lists the changes (a dry run), and the operator confirms them before it is published.
 */
export function PayloadEditor({ token, letter, onReplayed, onClose }: { token: string; letter: DeadLetter; onReplayed: (text: string) => void; onClose: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(letter.payload, null, 2));
  const [problems, setProblems] = useState<Problems>([]);
  const [checked, setChecked] = useState<{ payload: Record<string, unknown>; answer: EditedReplay }>();

  const check = async () => {
    setProblems([]);
    const parsed = parseEditedPayload(text);
    if ('problem' in parsed) return setProblems([{ path: '', message: parsed.problem }]);
    try {
      setChecked({ payload: parsed.payload, answer: await editAndReplay(token, letter.id, parsed.payload, true) });
    } catch (error) {
      setProblems(problemsOf(error));
    }
  };

  const replay = async (payload: Record<string, unknown>) => {
    setChecked(undefined);
    try {
      const { replayed } = await editAndReplay(token, letter.id, payload, false);
      onReplayed(`Edited and replayed: published to ${replayed?.subject} as message ${replayed?.sequence} of stream ${replayed?.stream}.`);
    } catch (error) {
      setProblems(problemsOf(error));
    }
  };

  return (
    <section aria-labelledby="payload-editor-title">
      <h3 id="payload-editor-title">Edit and replay</h3>
      <label htmlFor="edited-payload">Edited payload (JSON)</label>
      <textarea id="edited-payload" rows={16} spellCheck={false} value={text} onChange={(event) => setText(event.target.value)} />
      {problems.length > 0 && (
        <div role="alert">
          <ul aria-label="Problems with the edited payload" className="problem">
            {problems.map(({ path, message }) => (
              <li key={`${path}:${message}`}>{path ? `${path}: ${message}` : message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" onClick={() => void check()}>
          Check and replay…
        </button>
      </div>
      {checked && (
        <ConfirmDialog title="Replay the edited payload?" confirmLabel="Replay edited" onConfirm={() => void replay(checked.payload)} onCancel={() => setChecked(undefined)}>
          <p>It is published to {letter.subject} with these changes, recorded in the audit trail, and leaves the queue:</p>
          <ul aria-label="Changes">
            {checked.answer.changes.map((change) => (
              <li key={change.path}>{describeChange(change)}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </section>
  );
}
