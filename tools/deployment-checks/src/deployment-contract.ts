import { DEFAULT_PORTS, ProcessName } from '@orders/local-stack';

/** What the deployment contract (docs shared by docker/ and k8s/) promises about each deployable. */
export type Component = 'api' | 'bff' | 'service' | 'simulator';

export interface Deployable {
  name: string;
  component: Component;
  port: number;
  /** The Nx project whose build the image contains. */
  project: string;
  /** The bounded context whose database a service owns. */
  context?: string;
}

export const NAMESPACE = 'orders';
export const PART_OF = 'order-platform';

// Every deployable listens on the port it has in the local stack, so URLs and docs read the same everywhere.
const app = (name: ProcessName, component: Component, context?: string): Deployable => ({ name, component, port: DEFAULT_PORTS[name], project: name, context });
const simulator = (name: ProcessName): Deployable => ({ name, component: 'simulator', port: DEFAULT_PORTS[name], project: 'provider-simulators' });

export const APPS: readonly Deployable[] = [
  app('gateway', 'api'),
  app('web-bff', 'bff'),
  app('mobile-bff', 'bff'),
  app('order-service', 'service', 'order'),
  app('inventory-service', 'service', 'inventory'),
  app('payment-service', 'service', 'payment'),
  app('shipping-service', 'service', 'shipping'),
];

/** Stand-ins for the payment provider and the carrier: dev and compose only. */
export const SIMULATORS: readonly Deployable[] = [simulator('payment-provider-sim'), simulator('carrier-sim')];

export const SERVICES_WITH_DATABASE = APPS.filter((deployable) => deployable.context !== undefined);

/** The gateway signs a caller token for each verified caller; the apps behind it verify it and trust nothing else. */
export const CALLER_TOKEN_SIGNER = 'gateway';
export const BEHIND_GATEWAY = APPS.filter(({ name }) => name !== CALLER_TOKEN_SIGNER);

/** Where the caller-token key pair comes from: two Secrets created together out of band. */
export const CALLER_TOKEN_KEYS = {
  private: { variable: 'CALLER_TOKEN_PRIVATE_KEY', secret: 'gateway-caller-token', key: 'private-key' },
  public: { variable: 'CALLER_TOKEN_PUBLIC_KEY', secret: 'caller-token-public-key', key: 'public-key' },
} as const;

export const PROBE_PATHS = { startupProbe: '/health/live', livenessProbe: '/health/live', readinessProbe: '/health/ready' } as const;
export type ProbeKind = keyof typeof PROBE_PATHS;

/** For the cluster only (kubelet, Prometheus): no Ingress may route them. */
export const PLATFORM_PATHS: readonly string[] = [...new Set(Object.values(PROBE_PATHS)), '/metrics'];
/** What the gateway serves to clients through the Ingress: its API under /api and the docs. */
export const PUBLIC_PATHS: readonly string[] = ['/api/v1/orders', '/docs', '/docs/openapi.json'];

/** The address an app listens on in a container; the image sets it, the apps default to loopback. */
export const CONTAINER_HOST = '0.0.0.0';

export const MIGRATION_COMMAND = 'node migrate.js';

/** Secrets are created out of band (k8s/scripts/create-secrets.sh), never rendered: their names and keys. */
export const CONTRACT_SECRETS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...APPS.map(({ name }) => [`${name}-nats`, ['password']] as const),
  ['nats-stream-admin', ['password']],
  ...SERVICES_WITH_DATABASE.map(({ context }) => [`${context}-db-credentials`, ['username', 'password']] as const),
  ['gateway-jwt', ['secret']],
  ...Object.values(CALLER_TOKEN_KEYS).map(({ secret, key }) => [secret, [key]] as const),
  ['gateway-tls', ['tls.crt', 'tls.key']],
]);

export const NATS_REPLICAS = 3;

export type Overlay = 'dev' | 'prod';

/** The app Deployments an overlay must render: simulators in dev only. */
export function deployablesOf(overlay: Overlay): readonly Deployable[] {
  return overlay === 'dev' ? [...APPS, ...SIMULATORS] : APPS;
}
