import { useEffect, useState } from 'react';
import { describeFailure } from './api';

export type Loaded<T> = { state: 'loading' } | { state: 'failed'; problem: string } | { state: 'loaded'; value: T };

/**
 * Runs `load` now, when `reload` is called and when any of `dependencies` changes; an answer that
 * arrives after a newer call was made is dropped. The last value stays shown while reloading.
 */
export function useLoaded<T>(load: () => Promise<T>, dependencies: readonly unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setLoaded({ state: 'loaded', value }),
      (error: unknown) => current && setLoaded({ state: 'failed', problem: describeFailure(error) }),
    );
    return () => {
      current = false;
    };
    // `load` is a new function on every render; what it reads is in `dependencies`.
  }, [...dependencies, generation]);
  return [loaded, () => setGeneration((count) => count + 1)];
}
