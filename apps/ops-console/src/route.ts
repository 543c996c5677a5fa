/** Pages live in the URL's fragment, so any path under /ops serves the one index.html and a page can be linked to. */
export type Route = { page: 'dead-letters'; deadLetterId?: number } | { page: 'sagas'; orderId?: string } | { page: 'bus' } | { page: 'audit' };

export function parseRoute(hash: string): Route {
  const [page, id] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'sagas') return { page: 'sagas', orderId: id || undefined };
  if (page === 'bus') return { page: 'bus' };
  if (page === 'audit') return { page: 'audit' };
  const deadLetterId = Number(id);
  return { page: 'dead-letters', deadLetterId: Number.isInteger(deadLetterId) && deadLetterId > 0 ? deadLetterId : undefined };
}

export function hrefOf(route: Route): string {
  if (route.page === 'bus') return '#/bus';
  if (route.page === 'audit') return '#/audit';
  if (route.page === 'sagas') return route.orderId ? `#/sagas/${encodeURIComponent(route.orderId)}` : '#/sagas';
  return route.deadLetterId ? `#/dead-letters/${route.deadLetterId}` : '#/dead-letters';
}
