import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IIngressBackend } from 'kubernetes-models/networking.k8s.io/v1/IngressBackend';
import { K8sObject, ofKind } from './manifest';

/** One way an Ingress sends requests to a backend: a rule's path, or its default backend (which takes every path). */
export interface IngressRoute {
  ingress: IIngress & K8sObject;
  /** `path /api (Prefix)`, `defaultBackend`: how a problem names the route. */
  where: string;
  /** `Service gateway port http`. */
  backend: string;
  matches: (requestPath: string) => boolean;
}

// ingress-nginx (the platform's class) reads every path of such an Ingress as a case-insensitive regular expression.
const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';

/** Every route of every rendered Ingress. */
export function ingressRoutes(objects: readonly K8sObject[]): IngressRoute[] {
  return ofKind<IIngress>(objects, 'networking.k8s.io/v1', 'Ingress').flatMap((ingress) => {
    const regex = ingress.metadata?.annotations?.[USE_REGEX] === 'true';
    const fromRules = (ingress.spec?.rules ?? []).flatMap(({ http }) =>
      (http?.paths ?? []).map(({ path = '/', pathType, backend }) => ({
        ingress,
        where: `path ${path} (${pathType})`,
        backend: describeBackend(backend),
        matches: pathMatcher(path, pathType, regex),
      })),
    );
    const fallback = ingress.spec?.defaultBackend;
    return [...fromRules, ...(fallback ? [{ ingress, where: 'defaultBackend', backend: describeBackend(fallback), matches: () => true }] : [])];
  });
}

/** The routes that would send a request for `requestPath` to their backend, whatever the host. */
export function routesOf(objects: readonly K8sObject[], requestPath: string): IngressRoute[] {
  return ingressRoutes(objects).filter((route) => route.matches(requestPath));
}

export function describeBackend({ service, resource }: IIngressBackend): string {
  if (service) return `Service ${service.name} port ${service.port?.name ?? service.port?.number ?? '<unset>'}`;
  return `${resource?.kind ?? 'resource'} ${resource?.name ?? '<unset>'}`;
}

/**
 * Matching as the Ingress API defines it: Exact is the whole path; Prefix compares whole
 * `/`-separated elements (`/api` takes `/api` and `/api/v1`, not `/apis`; `/` takes everything).
 * ImplementationSpecific is a plain string prefix for ingress-nginx, or a regular expression with use-regex.
 */
function pathMatcher(path: string, pathType: string, regex: boolean): (requestPath: string) => boolean {
  if (pathType === 'Exact') return (requestPath) => requestPath === path;
  if (regex) return (requestPath) => new RegExp(`^${path}`, 'i').test(requestPath);
  if (pathType === 'Prefix') {
    const prefix = elementsOf(path);
    return (requestPath) => {
      const elements = elementsOf(requestPath);
      return prefix.length <= elements.length && prefix.every((element, index) => element === elements[index]);
    };
  }
  return (requestPath) => requestPath.startsWith(path);
}

const elementsOf = (path: string): string[] => path.split('/').filter((element) => element !== '');
