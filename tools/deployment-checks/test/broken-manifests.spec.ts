import { checkProjectRules, K8sObject, Overlay, parseManifests, PLATFORM_PATHS, Problem, renderOverlay, routesOf, validateAgainstSchemas } from '../src';
import { join } from 'node:path';
import { added } from './support/problems';

const BASE = join(__dirname, '../../../k8s/base');
const PROD = join(__dirname, '../../../k8s/overlays/prod');
/** Overlays on the real base, each patching it to be broken in one way. */
const fixture = (name: string) => join(__dirname, 'fixtures/overlays', name);

describe('a broken manifest', () => {
  let base: K8sObject[];
  let prod: K8sObject[];

  beforeAll(async () => {
    [base, prod] = await Promise.all([renderOverlay(BASE), renderOverlay(PROD)]);
  });

  it.each<[string, Overlay, Problem[]]>([
    ['readiness-healthz', 'dev', [{ object: 'Deployment orders/gateway', message: 'container gateway readinessProbe GETs /healthz instead of /health/ready' }]],
    ['missing-liveness', 'dev', [{ object: 'Deployment orders/order-service', message: 'container order-service has no livenessProbe' }]],
    [
      'latest-image',
      'prod',
      [
        { object: 'Deployment orders/payment-service', message: 'initContainer migrate image order-platform/payment-service:latest uses the :latest tag' },
        { object: 'Deployment orders/payment-service', message: 'container payment-service image order-platform/payment-service:latest uses the :latest tag' },
      ],
    ],
    ['root-pod', 'dev', [{ object: 'Deployment orders/mobile-bff', message: 'container mobile-bff does not run with runAsNonRoot: true' }]],
    ['committed-secret', 'dev', [{ object: 'Secret orders/gateway-jwt', message: 'is a Secret with data or stringData: secret values must not be committed' }]],
    [
      'signing-key-verifier',
      'prod',
      [
        { object: 'Deployment orders/web-bff', message: 'container web-bff does not get CALLER_TOKEN_PUBLIC_KEY from key public-key of Secret caller-token-public-key' },
        {
          object: 'Deployment orders/web-bff',
          message: "container web-bff env CALLER_TOKEN_PUBLIC_KEY: reads Secret gateway-caller-token, the gateway's signing key, which no other workload may have",
        },
      ],
    ],
    [
      'ingress-root-path',
      'prod',
      [
        {
          object: 'Ingress orders/gateway',
          message: 'path / (Prefix) routes /health/live, /health/ready, /metrics to Service gateway port http: health and metrics are for the cluster only',
        },
      ],
    ],
  ])('%s breaks the project rules (%s)', async (name, overlay, expected) => {
    const objects = await renderOverlay(fixture(name));
    expect(added(checkProjectRules(objects, { overlay }), checkProjectRules(base, { overlay }))).toEqual(expected);
  });

  it.each<[string, Problem[]]>([
    [
      'async-order-db',
      [
        {
          object: 'Cluster orders/order-db',
          message: 'replicates asynchronously (no spec.postgresql.synchronous): a failover can lose transactions it already committed',
        },
      ],
    ],
    [
      'preferred-durability',
      [
        {
          object: 'Cluster orders/order-db',
          message: 'has dataDurability preferred: with its synchronous standbys down it commits alone, and a failover can lose those commits',
        },
        { object: 'Cluster orders/order-db', message: 'runs 2 instances for 1 synchronous standby: one standby down stops every write' },
      ],
    ],
  ])('%s breaks the project rules of prod', async (name, expected) => {
    const objects = await renderOverlay(fixture(name));
    expect(added(checkProjectRules(objects, { overlay: 'prod' }), checkProjectRules(prod, { overlay: 'prod' }))).toEqual(expected);
  });

  it('with an Ingress path / routes every health and metrics path', async () => {
    expect(PLATFORM_PATHS.filter((path) => routesOf(base, path).length > 0)).toEqual([]);
    const objects = await renderOverlay(fixture('ingress-root-path'));
    expect(PLATFORM_PATHS.filter((path) => routesOf(objects, path).length > 0)).toEqual(['/health/live', '/health/ready', '/metrics']);
  });

  it('with a container port given as a string breaks the schema', async () => {
    expect(await validateAgainstSchemas(base)).toEqual([]);
    const objects = await renderOverlay(fixture('string-container-port'));
    expect(await validateAgainstSchemas(objects)).toEqual([
      { object: 'Deployment orders/web-bff', message: 'schema: data/spec/template/spec/containers/0/ports/0/containerPort must be integer' },
    ]);
  });

  it('of an unknown kind has no schema, which is a problem of its own', async () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'orders' } };
    expect(await validateAgainstSchemas([widget])).toEqual([{ object: 'Widget orders/w', message: 'no schema for apiVersion example.com/v1 kind Widget' }]);
  });

  it('that is not valid YAML is rejected with what kustomize said', async () => {
    await expect(renderOverlay(fixture('invalid-yaml'))).rejects.toThrow(/kustomize build .*invalid-yaml failed: .*MalformedYAMLError: yaml: line 6/);
  });

  it('as a YAML stream that does not parse is rejected by the parser as well', () => {
    expect(() => parseManifests('kind: ConfigMap\ndata:\n  PORT: "3000\n', 'config-map.yaml')).toThrow(/^config-map.yaml is not valid YAML: /);
  });
});
