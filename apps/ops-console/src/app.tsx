import { useEffect, useState } from 'react';
import { AuditPage } from './audit/audit-page';
import { BusPage } from './bus/bus-page';
import { DeadLettersPage } from './dead-letters/dead-letters-page';
import { LoginBox } from './login-box';
import { hrefOf, parseRoute, Route } from './route';
import { SagaPage } from './sagas/saga-page';
import { storedToken, storeToken } from './session';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const [token, setToken] = useState(storedToken);
  const route = useRoute();
  const signIn = (newToken: string | null) => {
    storeToken(newToken);
    setToken(newToken);
  };

  return (
    <>
      <header className="top-bar">
        <h1>Operations console</h1>
        {token && (
          <nav aria-label="Pages">
            <a href={hrefOf({ page: 'dead-letters' })} aria-current={route.page === 'dead-letters' ? 'page' : undefined}>
              Dead letters
            </a>
            <a href={hrefOf({ page: 'sagas' })} aria-current={route.page === 'sagas' ? 'page' : undefined}>
              Sagas
            </a>
            <a href={hrefOf({ page: 'bus' })} aria-current={route.page === 'bus' ? 'page' : undefined}>
              Bus
            </a>
            <a href={hrefOf({ page: 'audit' })} aria-current={route.page === 'audit' ? 'page' : undefined}>
              Audit
            </a>
            <button type="button" onClick={() => signIn(null)}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main>
        {!token && <LoginBox onToken={signIn} />}
        {token && route.page === 'dead-letters' && <DeadLettersPage token={token} openId={route.deadLetterId} />}
        {token && route.page === 'sagas' && <SagaPage token={token} orderId={route.orderId} />}
        {token && route.page === 'bus' && <BusPage token={token} />}
        {token && route.page === 'audit' && <AuditPage token={token} />}
      </main>
    </>
  );
}
