import { FormEvent, useState } from 'react';
import { ApiFailure, describeFailure, devLogin } from './api';

/**
 * Where the platform runs with AUTH_DEV_LOGIN_ENABLED (the local stack), an operator id is enough:
 * the gateway's dev-login issues a token with the `ops` role (and `ops-editor` if asked). Elsewhere, paste a token issued by
 * the identity provider.
 */
export function LoginBox({ onToken }: { onToken: (token: string) => void }) {
  const [userId, setUserId] = useState('operator');
  const [editor, setEditor] = useState(false);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string>();

  const logIn = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      onToken(await devLogin(userId.trim(), editor ? ['ops', 'ops-editor'] : ['ops']));
    } catch (error) {
      setProblem(
        error instanceof ApiFailure && error.status === 404
          ? 'This gateway has no dev-login (AUTH_DEV_LOGIN_ENABLED is off): paste an access token below.'
          : describeFailure(error),
      );
    }
  };
  const useToken = (event: FormEvent) => {
    event.preventDefault();
    onToken(pasted.trim());
  };

  return (
    <section className="login" aria-labelledby="login-title">
      <h2 id="login-title">Sign in</h2>
      <form onSubmit={(event) => void logIn(event)}>
        <label htmlFor="operator-id">Operator id</label>
        <input id="operator-id" name="operator-id" value={userId} onChange={(event) => setUserId(event.target.value)} required autoComplete="username" />
        <label>
          <input type="checkbox" checked={editor} onChange={(event) => setEditor(event.target.checked)} /> May edit payloads (ops-editor)
        </label>
        <button type="submit">Sign in with dev-login</button>
      </form>
      <form onSubmit={useToken}>
        <label htmlFor="access-token">Or an access token</label>
        <textarea id="access-token" name="access-token" rows={3} value={pasted} onChange={(event) => setPasted(event.target.value)} required />
        <button type="submit">Use this token</button>
      </form>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </section>
  );
}
