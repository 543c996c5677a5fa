import { CALLER_TOKEN_SIGNER, PLATFORM_PATHS, PUBLIC_PATHS } from '../deployment-contract';
import { probeRoutes, scrapeRoutes } from '../http-routes';
import { ingressRoutes } from '../ingress-routes';
import { Problem, problemOf } from '../manifest';
import { missing, Rule } from './rule';

// Annotations with which ingress-nginx sends a request somewhere its path does not say.
const REWRITING_ANNOTATION = /^nginx\.ingress\.kubernetes\.io\/(rewrite-target|configuration-snippet|server-snippet)$/;

/**
 * The Ingress routes the gateway's API and docs to the gateway and nothing else: health and metrics
 * (the contract's paths and whatever the rendered probes and ServiceMonitors call) stay inside the cluster.
 */
export const ingressRules: Rule = ({ objects }) => {
  const routes = ingressRoutes(objects);
  const platformPaths = [...new Set([...PLATFORM_PATHS, ...[...probeRoutes(objects), ...scrapeRoutes(objects)].map(({ path }) => path)])];
  const gateway = `Service ${CALLER_TOKEN_SIGNER} port http`;
  const exposed = routes.flatMap((route): Problem[] => {
    const paths = platformPaths.filter((path) => route.matches(path));
    return paths.length > 0 ? [problemOf(route.ingress, `${route.where} routes ${paths.join(', ')} to ${route.backend}: health and metrics are for the cluster only`)] : [];
  });
  const publicPaths = PUBLIC_PATHS.flatMap((path): Problem[] => {
    const matching = routes.filter((route) => route.matches(path));
    if (matching.length === 0) return [missing('Ingress', '*', `no Ingress routes ${path} to ${gateway}`)];
    return matching.filter(({ backend }) => backend !== gateway).map((route) => problemOf(route.ingress, `${route.where} routes ${path} to ${route.backend}, not to ${gateway}`));
  });
  const rewriting = [...new Set(routes.map(({ ingress }) => ingress))].flatMap((ingress) =>
    Object.keys(ingress.metadata?.annotations ?? {})
      .filter((annotation) => REWRITING_ANNOTATION.test(annotation))
      .map((annotation) => problemOf(ingress, `has annotation ${annotation}, so its paths do not tell what reaches the backend`)),
  );
  return [...exposed, ...publicPaths, ...rewriting];
};
