import { ServiceName, SERVICES } from './service-databases';

/** Stand-ins for the external payment provider and carrier; started before the apps. */
export const SIMULATORS = ['payment-provider-sim', 'carrier-sim'] as const;
export const APPS = ['order-service', 'inventory-service', 'payment-service', 'shipping-service', 'web-bff', 'mobile-bff', 'gateway'] as const;

export type SimulatorName = (typeof SIMULATORS)[number];
export type AppName = (typeof APPS)[number];
export type ProcessName = SimulatorName | AppName;

export const PROCESS_NAMES: readonly ProcessName[] = [...SIMULATORS, ...APPS];

export function mapProcesses<T>(value: (name: ProcessName) => T): Record<ProcessName, T> {
  return Object.fromEntries(PROCESS_NAMES.map((name) => [name, value(name)])) as Record<ProcessName, T>;
}

export const DEFAULT_PORTS: Readonly<Record<ProcessName, number>> = {
  gateway: 3000,
  'web-bff': 3001,
  'mobile-bff': 3002,
  'order-service': 3010,
  'inventory-service': 3011,
  'payment-service': 3012,
  'shipping-service': 3013,
  'payment-provider-sim': 4010,
  'carrier-sim': 4011,
};

const SIMULATOR_ENTRIES: Readonly<Record<SimulatorName, string>> = {
  'payment-provider-sim': 'libs/provider-simulators/src/payment-provider.main.ts',
  'carrier-sim': 'libs/provider-simulators/src/carrier.main.ts',
};

export function isSimulator(name: ProcessName): name is SimulatorName {
  return (SIMULATORS as readonly ProcessName[]).includes(name);
}

/** Entry point relative to the repository root. */
export function entryPointOf(name: ProcessName): string {
  return isSimulator(name) ? SIMULATOR_ENTRIES[name] : `apps/${name}/src/main.ts`;
}

const SIMULATOR_BUNDLES: Readonly<Record<SimulatorName, string>> = {
  'payment-provider-sim': 'dist/libs/provider-simulators/main.js',
  'carrier-sim': 'dist/libs/provider-simulators/carrier.js',
};

/** The file of the production bundle (`nx build`) its image runs, relative to the repository root. */
export function bundleOf(name: ProcessName): string {
  return isSimulator(name) ? SIMULATOR_BUNDLES[name] : `dist/apps/${name}/main.js`;
}

/** Every process, app or simulator, reports readiness on the path its Kubernetes probe uses. */
export const READINESS_PATH = '/health/ready';

/** The database a process owns: "payment-service" → "payment"; none for the edge apps and simulators. */
export function serviceOf(name: ProcessName): ServiceName | undefined {
  return SERVICES.find((service) => name === `${service}-service`);
}

/** Runs the service's TypeORM migrations against DATABASE_URL and exits. */
export function migrationEntryPointOf(service: ServiceName): string {
  return `apps/${service}-service/src/migrate.ts`;
}
