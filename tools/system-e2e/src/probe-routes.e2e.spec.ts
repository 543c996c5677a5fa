import { HttpRoute, probeRoutes, renderOverlay, scrapeRoutes, SIMULATORS } from '@orders/deployment-checks';
import { PROCESS_NAMES, ProcessName } from '@orders/local-stack';
import { join } from 'node:path';
import { platformForSuite } from './support/platform';

const OVERLAYS = join(__dirname, '../../../k8s/overlays');
const SIMULATOR_NAMES = SIMULATORS.map(({ name }) => name);

/**
 * The Kubernetes manifests probe and scrape paths on the apps; each of those GETs, sent to the same
 * app running locally, must answer 200, or the cluster would restart, never route to, or never
 * scrape a healthy pod. Prod renders every app; dev adds the provider simulators.
 */
describe('the probe and scrape paths of the Kubernetes manifests', () => {
  const platform = platformForSuite();
  let routes: HttpRoute[];

  beforeAll(async () => {
    const [prod, dev] = await Promise.all([renderOverlay(join(OVERLAYS, 'prod')), renderOverlay(join(OVERLAYS, 'dev'))]);
    const simulatorRoutes = [...probeRoutes(dev), ...scrapeRoutes(dev)].filter(({ app }) => SIMULATOR_NAMES.includes(app));
    routes = [...probeRoutes(prod), ...scrapeRoutes(prod), ...simulatorRoutes];
  });

  it('cover every process of the platform and nothing else, with probes for each and a scrape of every app', () => {
    const covered = (purpose: (route: HttpRoute) => boolean) => [...new Set(routes.filter(purpose).map(({ app }) => app))].sort();
    expect(covered(() => true)).toEqual([...PROCESS_NAMES].sort());
    expect(covered(({ purpose }) => purpose === 'readinessProbe')).toEqual([...PROCESS_NAMES].sort());
    expect(covered(({ purpose }) => purpose.startsWith('ServiceMonitor'))).toEqual(PROCESS_NAMES.filter((name) => !SIMULATOR_NAMES.includes(name)).sort());
  });

  it('answer 200 on the running apps', async () => {
    const answers = await Promise.all(
      routes.map(async (route) => {
        const response = await fetch(`${platform.stack.urls[route.app as ProcessName]}${route.path}`);
        await response.body?.cancel();
        return { ...route, status: response.status };
      }),
    );
    expect(answers).toEqual(routes.map((route) => ({ ...route, status: 200 })));
  });
});
