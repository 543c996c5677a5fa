import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IService } from 'kubernetes-models/v1/Service';
import { PROBE_PATHS, ProbeKind } from './deployment-contract';
import { labelSelectorSelects, mapSelects } from './label-selectors';
import { K8sObject, ofKind } from './manifest';

/** A GET the cluster sends to an app's pods: a probe or a Prometheus scrape. */
export interface HttpRoute {
  /** The Deployment, which is also the app's name. */
  app: string;
  purpose: string;
  path: string;
}

/** Every httpGet probe of every Deployment's containers. */
export function probeRoutes(objects: readonly K8sObject[]): HttpRoute[] {
  return ofKind<IDeployment>(objects, 'apps/v1', 'Deployment').flatMap((deployment) =>
    (deployment.spec?.template?.spec?.containers ?? []).flatMap((container) =>
      (Object.keys(PROBE_PATHS) as ProbeKind[]).flatMap((kind) => {
        const path = container[kind]?.httpGet?.path;
        return path ? [{ app: deployment.metadata?.name ?? '', purpose: kind, path }] : [];
      }),
    ),
  );
}

/** Every path a ServiceMonitor scrapes, on each Deployment behind the Services it selects. */
export function scrapeRoutes(objects: readonly K8sObject[]): HttpRoute[] {
  const services = ofKind<IService>(objects, 'v1', 'Service');
  const deployments = ofKind<IDeployment>(objects, 'apps/v1', 'Deployment');
  return ofKind<IServiceMonitor>(objects, 'monitoring.coreos.com/v1', 'ServiceMonitor').flatMap((monitor) => {
    const scraped = services.filter((service) => labelSelectorSelects(monitor.spec?.selector, service.metadata?.labels));
    const apps = deployments.filter((deployment) => scraped.some((service) => mapSelects(service.spec?.selector, deployment.spec?.template?.metadata?.labels)));
    return apps.flatMap((deployment) =>
      (monitor.spec?.endpoints ?? []).map((endpoint) => ({
        app: deployment.metadata?.name ?? '',
        purpose: `ServiceMonitor ${monitor.metadata?.name}`,
        path: endpoint.path ?? '/metrics',
      })),
    );
  });
}
