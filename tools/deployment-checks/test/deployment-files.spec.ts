import {
  checkCompose,
  checkDockerfile,
  checkProjectRules,
  checkStreamFiles,
  K8sObject,
  PLATFORM_PATHS,
  PUBLIC_PATHS,
  renderOverlay,
  routesOf,
  validateAgainstSchemas,
} from '../src';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

describe.each(['dev', 'prod'] as const)('the %s overlay', (overlay) => {
  let objects: K8sObject[];

  beforeAll(async () => {
    objects = await renderOverlay(join(ROOT, 'k8s/overlays', overlay));
  });

  it('matches the Kubernetes OpenAPI schemas', async () => {
    expect(await validateAgainstSchemas(objects)).toEqual([]);
  });

  it('follows the deployment contract', () => {
    expect(checkProjectRules(objects, { overlay })).toEqual([]);
  });

  it('routes the public API and docs to the gateway through the Ingress, and no health or metrics path', () => {
    const backends = (path: string) => routesOf(objects, path).map(({ backend }) => backend);
    const paths = [...PLATFORM_PATHS, ...PUBLIC_PATHS];
    expect(Object.fromEntries(paths.map((path) => [path, backends(path)]))).toEqual({
      '/health/live': [],
      '/health/ready': [],
      '/metrics': [],
      '/api/v1/orders': ['Service gateway port http'],
      '/docs': ['Service gateway port http'],
      '/docs/openapi.json': ['Service gateway port http'],
    });
  });
});

it("defines every JetStream stream with the services' own settings and three replicas", () => {
  expect(checkStreamFiles(join(ROOT, 'k8s/base/nats-streams/streams'))).toEqual([]);
});

it('builds every app from one Dockerfile that follows the rules', () => {
  expect(checkDockerfile(join(ROOT, 'docker/Dockerfile'))).toEqual([]);
});

it('runs the whole platform from a compose file that follows the rules', () => {
  expect(checkCompose(join(ROOT, 'docker/compose.yaml'))).toEqual([]);
});
