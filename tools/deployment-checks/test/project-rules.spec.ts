import { checkProjectRules, identify, K8sObject, Overlay, Problem, renderOverlay, SIMULATORS } from '../src';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { join } from 'node:path';
import { added } from './support/problems';

const OVERLAYS = join(__dirname, '../../../k8s/overlays');

function get<T>(objects: readonly K8sObject[], kind: string, name: string): T & K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`The overlay has no ${kind} ${name}`);
  return found as T & K8sObject;
}

/** Generated ConfigMaps carry a content hash in their name. */
function generatedConfigMap(objects: readonly K8sObject[], name: string): IConfigMap & K8sObject {
  const found = objects.find((object) => object.kind === 'ConfigMap' && object.metadata?.name?.startsWith(`${name}-`));
  if (!found) throw new Error(`The overlay has no ConfigMap ${name}`);
  return found as IConfigMap & K8sObject;
}

function setConfig(objects: readonly K8sObject[], name: string, variable: string, value: string): void {
  const data = generatedConfigMap(objects, name).data;
  if (data) data[variable] = value;
}

function podOf(objects: readonly K8sObject[], name: string): IPodSpec {
  const pod = get<IDeployment>(objects, 'Deployment', name).spec?.template.spec;
  if (!pod) throw new Error(`Deployment ${name} has no pod spec`);
  return pod;
}

const appContainer = (objects: readonly K8sObject[], name: string): IContainer => podOf(objects, name).containers[0];

function migrateContainer(objects: readonly K8sObject[], name: string): IContainer {
  const migrate = podOf(objects, name).initContainers?.find((container) => container.name === 'migrate');
  if (!migrate) throw new Error(`Deployment ${name} has no migrate initContainer`);
  return migrate;
}

function remove(objects: K8sObject[], kind: string, name: string): void {
  objects.splice(objects.indexOf(get(objects, kind, name)), 1);
}

function removeEnv(container: IContainer, name: string): void {
  container.env = container.env?.filter((entry) => entry.name !== name);
}

function ingressPaths(objects: readonly K8sObject[]) {
  const [rule] = get<IIngress>(objects, 'Ingress', 'gateway').spec?.rules ?? [];
  if (!rule?.http) throw new Error('Ingress gateway has no http rule');
  return rule.http.paths;
}

const gatewayBackend = { service: { name: 'gateway', port: { name: 'http' } } };

function envEntry(container: IContainer, name: string) {
  const entry = container.env?.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`Container ${container.name} has no env ${name}`);
  return entry;
}

const problem = (object: string, message: string): Problem => ({ object, message });

/**
 * Each case breaks one thing in a copy of a real rendered overlay and expects exactly the problem that
 * names it: every rule can fail, and fails with a message that says what is wrong.
 */
describe('the project rules', () => {
  const rendered: Partial<Record<Overlay, K8sObject[]>> = {};

  beforeAll(async () => {
    [rendered.dev, rendered.prod] = await Promise.all([renderOverlay(join(OVERLAYS, 'dev')), renderOverlay(join(OVERLAYS, 'prod'))]);
  });

  function brokenCopy(overlay: Overlay, breakIt: (objects: K8sObject[]) => void): Problem[] {
    const objects = structuredClone(rendered[overlay] ?? []);
    breakIt(objects);
    return added(checkProjectRules(objects, { overlay }), checkProjectRules(rendered[overlay] ?? [], { overlay }));
  }

  it.each<[string, Overlay, (objects: K8sObject[]) => void, Problem[]]>([
    [
      'an app without Deployment',
      'prod',
      (o) => remove(o, 'Deployment', 'payment-service'),
      [problem('Deployment orders/payment-service', 'the payment-service app is not deployed')],
    ],
    ['a container without image', 'dev', (o) => delete appContainer(o, 'gateway').image, [problem('Deployment orders/gateway', 'container gateway has no image')]],
    [
      'a probe on a port number',
      'prod',
      (o) => {
        const probe = appContainer(o, 'gateway').livenessProbe;
        if (probe?.httpGet) probe.httpGet.port = 3000;
      },
      [problem('Deployment orders/gateway', 'container gateway livenessProbe uses port 3000 instead of a named port')],
    ],
    [
      'a probe on an undeclared port',
      'prod',
      (o) => {
        const probe = appContainer(o, 'web-bff').startupProbe;
        if (probe?.httpGet) probe.httpGet.port = 'web';
      },
      [problem('Deployment orders/web-bff', 'container web-bff startupProbe uses port web, which the container does not declare')],
    ],
    [
      'an exec readiness probe',
      'prod',
      (o) => (appContainer(o, 'mobile-bff').readinessProbe = { exec: { command: ['true'] } }),
      [problem('Deployment orders/mobile-bff', 'container mobile-bff readinessProbe is not an httpGet probe')],
    ],
    [
      'an init container without a memory limit',
      'prod',
      (o) => delete migrateContainer(o, 'shipping-service').resources?.limits?.memory,
      [problem('Deployment orders/shipping-service', 'initContainer migrate has no resources.limits.memory')],
    ],
    [
      'a writable root filesystem',
      'dev',
      (o) => {
        const context = appContainer(o, 'carrier-sim').securityContext;
        if (context) context.readOnlyRootFilesystem = false;
      },
      [problem('Deployment orders/carrier-sim', 'container carrier-sim does not set readOnlyRootFilesystem: true')],
    ],
    [
      'privilege escalation allowed',
      'prod',
      (o) => delete migrateContainer(o, 'order-service').securityContext?.allowPrivilegeEscalation,
      [problem('Deployment orders/order-service', 'initContainer migrate does not set allowPrivilegeEscalation: false')],
    ],
    [
      'an untagged image in prod',
      'prod',
      (o) => (appContainer(o, 'gateway').image = 'ghcr.io/example-org/order-platform/gateway'),
      [problem('Deployment orders/gateway', 'container gateway image ghcr.io/example-org/order-platform/gateway has no tag (that is :latest)')],
    ],
    [
      'a floating PostgreSQL image in prod',
      'prod',
      (o) => (get<{ spec: { imageName?: string } }>(o, 'Cluster', 'payment-db').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:latest'),
      [problem('Cluster orders/payment-db', 'image ghcr.io/cloudnative-pg/postgresql:latest uses the :latest tag')],
    ],
    [
      'the migration running the app instead',
      'prod',
      (o) => (migrateContainer(o, 'inventory-service').command = ['node', 'main.js']),
      [problem('Deployment orders/inventory-service', 'initContainer migrate runs "node main.js" instead of "node migrate.js"')],
    ],
    [
      'no migration init container',
      'prod',
      (o) => (podOf(o, 'payment-service').initContainers = []),
      [problem('Deployment orders/payment-service', 'has no initContainer migrate')],
    ],
    [
      'a migration from another image',
      'dev',
      (o) => (migrateContainer(o, 'order-service').image = 'order-platform/order-service:old'),
      [problem('Deployment orders/order-service', "initContainer migrate runs image order-platform/order-service:old, not the app's image order-platform/order-service:dev")],
    ],
    [
      'PORT that is not the http port',
      'prod',
      (o) => setConfig(o, 'order-service-config', 'PORT', '4000'),
      [problem('Deployment orders/order-service', 'container order-service gets PORT=4000 but its port http is 3010')],
    ],
    [
      'an http port other than the contract one',
      'prod',
      (o) => {
        const [http] = appContainer(o, 'web-bff').ports ?? [];
        http.containerPort = 3999;
        setConfig(o, 'web-bff-config', 'PORT', '3999');
      },
      [problem('Deployment orders/web-bff', 'container web-bff port http is 3999, the contract says 3001')],
    ],
    [
      'HOST on loopback',
      'dev',
      (o) => setConfig(o, 'gateway-config', 'HOST', '127.0.0.1'),
      [problem('Deployment orders/gateway', 'container gateway gets HOST=127.0.0.1, not 0.0.0.0: probes and other pods cannot reach it')],
    ],
    [
      'the gateway without its signing key',
      'prod',
      (o) => removeEnv(appContainer(o, 'gateway'), 'CALLER_TOKEN_PRIVATE_KEY'),
      [problem('Deployment orders/gateway', 'container gateway does not get CALLER_TOKEN_PRIVATE_KEY from key private-key of Secret gateway-caller-token')],
    ],
    [
      'a public key from another Secret key',
      'dev',
      (o) => {
        const ref = envEntry(appContainer(o, 'mobile-bff'), 'CALLER_TOKEN_PUBLIC_KEY').valueFrom?.secretKeyRef;
        if (ref) ref.key = 'public.pem';
      },
      [
        problem(
          'Deployment orders/mobile-bff',
          'container mobile-bff env CALLER_TOKEN_PUBLIC_KEY: refers to key public.pem of Secret caller-token-public-key, which has only public-key',
        ),
        problem('Deployment orders/mobile-bff', 'container mobile-bff does not get CALLER_TOKEN_PUBLIC_KEY from key public-key of Secret caller-token-public-key'),
      ],
    ],
    [
      'a signing key set on another app',
      'prod',
      (o) => appContainer(o, 'order-service').env?.push({ name: 'CALLER_TOKEN_PRIVATE_KEY', value: '-----BEGIN PRIVATE KEY-----' }),
      [problem('Deployment orders/order-service', 'container order-service sets CALLER_TOKEN_PRIVATE_KEY, which only the gateway may have')],
    ],
    [
      'the signing key mounted into NATS',
      'prod',
      (o) => get<IStatefulSet>(o, 'StatefulSet', 'nats').spec?.template.spec?.volumes?.push({ name: 'caller-token', secret: { secretName: 'gateway-caller-token' } }),
      [problem('StatefulSet orders/nats', "volume caller-token: reads Secret gateway-caller-token, the gateway's signing key, which no other workload may have")],
    ],
    [
      'metrics routed by an Exact path',
      'prod',
      (o) => ingressPaths(o).push({ path: '/metrics', pathType: 'Exact', backend: gatewayBackend }),
      [problem('Ingress orders/gateway', 'path /metrics (Exact) routes /metrics to Service gateway port http: health and metrics are for the cluster only')],
    ],
    [
      'health routed by a string prefix',
      'dev',
      (o) => ingressPaths(o).push({ path: '/he', pathType: 'ImplementationSpecific', backend: { service: { name: 'order-service', port: { name: 'http' } } } }),
      [
        problem(
          'Ingress orders/gateway',
          'path /he (ImplementationSpecific) routes /health/live, /health/ready to Service order-service port http: health and metrics are for the cluster only',
        ),
      ],
    ],
    [
      'an Ingress with a default backend',
      'prod',
      (o) => {
        const spec = get<IIngress>(o, 'Ingress', 'gateway').spec;
        if (spec) spec.defaultBackend = gatewayBackend;
      },
      [problem('Ingress orders/gateway', 'defaultBackend routes /health/live, /health/ready, /metrics to Service gateway port http: health and metrics are for the cluster only')],
    ],
    [
      'the docs not routed and the API routed to a BFF',
      'dev',
      (o) => {
        const paths = ingressPaths(o);
        paths.splice(1);
        paths[0].backend = { service: { name: 'web-bff', port: { name: 'http' } } };
      },
      [
        problem('Ingress orders/gateway', 'path /api (Prefix) routes /api/v1/orders to Service web-bff port http, not to Service gateway port http'),
        problem('Ingress orders/*', 'no Ingress routes /docs to Service gateway port http'),
        problem('Ingress orders/*', 'no Ingress routes /docs/openapi.json to Service gateway port http'),
      ],
    ],
    [
      'an Ingress rewriting its paths',
      'prod',
      (o) => {
        const metadata = get<IIngress>(o, 'Ingress', 'gateway').metadata;
        if (metadata) metadata.annotations = { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' };
      },
      [problem('Ingress orders/gateway', 'has annotation nginx.ingress.kubernetes.io/rewrite-target, so its paths do not tell what reaches the backend')],
    ],
    ['an app without Service', 'prod', (o) => remove(o, 'Service', 'gateway'), [problem('Deployment orders/gateway', 'has no Service gateway')]],
    [
      'a Service selecting another app',
      'prod',
      (o) => {
        const spec = get<IService>(o, 'Service', 'mobile-bff').spec;
        if (spec) spec.selector = { 'app.kubernetes.io/name': 'web-bff' };
      },
      [problem('Deployment orders/mobile-bff', 'Service mobile-bff selector {"app.kubernetes.io/name":"web-bff"} does not select its pods')],
    ],
    [
      'a Service targeting another port',
      'prod',
      (o) => {
        const [http] = get<IService>(o, 'Service', 'web-bff').spec?.ports ?? [];
        http.targetPort = 8080;
      },
      [problem('Deployment orders/web-bff', 'Service web-bff port http targets 8080, not the container port http')],
    ],
    [
      'an app covered only by platform-wide NetworkPolicies',
      'prod',
      (o) => remove(o, 'NetworkPolicy', 'inventory-service'),
      [problem('Deployment orders/inventory-service', 'no NetworkPolicy of its own selects its pods (only policies for every app do)')],
    ],
    [
      'the default ServiceAccount',
      'prod',
      (o) => delete podOf(o, 'gateway').serviceAccountName,
      [problem('Deployment orders/gateway', 'does not run under its own ServiceAccount')],
    ],
    [
      'a ServiceAccount that mounts its token',
      'prod',
      (o) => (get<IServiceAccount>(o, 'ServiceAccount', 'order-service').automountServiceAccountToken = true),
      [problem('Deployment orders/order-service', 'ServiceAccount order-service does not set automountServiceAccountToken: false')],
    ],
    [
      'an app without HPA',
      'prod',
      (o) => remove(o, 'HorizontalPodAutoscaler', 'shipping-service'),
      [problem('Deployment orders/shipping-service', 'no HorizontalPodAutoscaler targets it')],
    ],
    [
      'one replica in prod',
      'prod',
      (o) => {
        const spec = get<IHorizontalPodAutoscaler>(o, 'HorizontalPodAutoscaler', 'web-bff').spec;
        if (spec) spec.minReplicas = 1;
      },
      [problem('Deployment orders/web-bff', 'HorizontalPodAutoscaler web-bff allows 1 replica in prod')],
    ],
    [
      'a PodDisruptionBudget over every app',
      'prod',
      (o) => {
        const spec = get<IPodDisruptionBudget>(o, 'PodDisruptionBudget', 'gateway').spec;
        if (spec) spec.selector = { matchLabels: { 'app.kubernetes.io/part-of': 'order-platform' } };
      },
      [problem('Deployment orders/gateway', 'no PodDisruptionBudget selects its pods and only them')],
    ],
    [
      'no default deny',
      'dev',
      (o) => remove(o, 'NetworkPolicy', 'default-deny'),
      [problem('NetworkPolicy orders/*', 'no default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress, no rules) in namespace orders')],
    ],
    [
      'a Secret with stringData',
      'prod',
      (o) =>
        o.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'gateway-nats', namespace: 'orders', labels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/part-of': 'order-platform' } },
          stringData: { password: 'x' },
        }),
      [problem('Secret orders/gateway-nats', 'is a Secret with data or stringData: secret values must not be committed')],
    ],
    [
      'a Secret the contract does not create',
      'prod',
      (o) => {
        const ref = envEntry(appContainer(o, 'gateway'), 'NATS_PASSWORD').valueFrom?.secretKeyRef;
        if (ref) ref.name = 'gateway-natz';
      },
      [problem('Deployment orders/gateway', "container gateway env NATS_PASSWORD: refers to Secret gateway-natz, which is not one of the contract's secrets")],
    ],
    [
      'a Secret key the contract does not create',
      'prod',
      (o) => {
        const ref = envEntry(migrateContainer(o, 'order-service'), 'DATABASE_USER').valueFrom?.secretKeyRef;
        if (ref) ref.key = 'user';
      },
      [problem('Deployment orders/order-service', 'initContainer migrate env DATABASE_USER: refers to key user of Secret order-db-credentials, which has only username, password')],
    ],
    [
      'a ConfigMap that is not rendered',
      'prod',
      (o) => {
        const [source] = appContainer(o, 'web-bff').envFrom ?? [];
        if (source.configMapRef) source.configMapRef.name = 'web-bff-settings';
      },
      [
        problem('Deployment orders/web-bff', 'container web-bff gets PORT=<unset> but its port http is 3001'),
        problem('Deployment orders/web-bff', 'container web-bff envFrom: refers to ConfigMap web-bff-settings, which is not rendered'),
      ],
    ],
    [
      'NATS with one server',
      'dev',
      (o) => {
        const spec = get<IStatefulSet>(o, 'StatefulSet', 'nats').spec;
        if (spec) spec.replicas = 1;
      },
      [problem('StatefulSet orders/nats', 'runs 1 replicas, not 3')],
    ],
    [
      'NATS without volumes in prod',
      'prod',
      (o) => delete get<IStatefulSet>(o, 'StatefulSet', 'nats').spec?.volumeClaimTemplates,
      [problem('StatefulSet orders/nats', 'has no volumeClaimTemplates in prod')],
    ],
    [
      'an app labelled as another component',
      'prod',
      (o) => {
        const labels = get<IDeployment>(o, 'Deployment', 'web-bff').spec?.template.metadata?.labels;
        if (labels) labels['app.kubernetes.io/component'] = 'service';
      },
      [problem('Deployment orders/web-bff', 'its pod labels have app.kubernetes.io/component=service, expected bff')],
    ],
    [
      'an object outside the namespace',
      'prod',
      (o) => {
        const metadata = get(o, 'ServiceAccount', 'nats').metadata;
        if (metadata) metadata.namespace = 'default';
      },
      [problem('ServiceAccount default/nats', 'is in namespace default, not orders')],
    ],
  ])('catch %s (%s)', (_title, overlay, breakIt, expected) => {
    expect(brokenCopy(overlay, breakIt)).toEqual(expected);
  });

  it('catch the provider simulators deployed in prod', () => {
    const simulatorNames = SIMULATORS.map(({ name }) => name);
    const simulatorObjects = (rendered.dev ?? []).filter((object) => simulatorNames.includes(object.metadata?.labels?.['app.kubernetes.io/name'] ?? ''));
    expect(simulatorObjects.map(({ kind }) => kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    const problems = brokenCopy('prod', (objects) => objects.push(...structuredClone(simulatorObjects)));
    expect(problems).toEqual(expect.arrayContaining(simulatorObjects.map((object) => problem(identify(object), 'is a provider simulator, which prod must not deploy'))));
  });
});
