import { ServiceName } from './service-databases';
import { isSimulator, ProcessName, serviceOf } from './stack-topology';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

export const JWT_ISSUER = 'order-platform-local';
export const JWT_AUDIENCE = 'order-platform';

/** What the stack knows once its infrastructure is up and its ports are chosen. */
export interface StackWiring {
  urls: Record<ProcessName, string>;
  natsUrl: string;
  /** NATS_STREAM_REPLICAS of every app on a NATS cluster; unset on one server. */
  natsStreamReplicas?: number;
  databaseUrls: Record<ServiceName, string>;
  jwt: JwtSettings;
  /** The gateway signs caller tokens with the private key; every other app verifies them with the public one. */
  callerTokenKeys: { CALLER_TOKEN_PRIVATE_KEY: string; CALLER_TOKEN_PUBLIC_KEY: string };
  logLevel: string;
  /** `pretty` for a person reading the terminal, `json` for tests that parse the lines. */
  logFormat: string;
}

/**
 * The environment a process inherits from the launcher. DATABASE_URL is the admin
 * connection there; passing it on would hand superuser access to every process.
 */
export function inheritedEnvironment(launcherEnvironment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _adminUrl, ...inherited } = launcherEnvironment;
  return inherited;
}

/**
 * The variables that wire one process to the rest of the stack. A replica listens on a `port` of
 * its own; what it calls, it reaches at the other apps' addresses (their proxies when replicated).
 */
export function processEnvironment(name: ProcessName, wiring: StackWiring, port: string = new URL(wiring.urls[name]).port): Record<string, string> {
  const { urls, natsUrl, natsStreamReplicas, databaseUrls, jwt, callerTokenKeys, logLevel, logFormat } = wiring;
  if (isSimulator(name)) return { PORT: port };
  const env: Record<string, string> = { PORT: port, NATS_URL: natsUrl, LOG_LEVEL: logLevel, LOG_FORMAT: logFormat, NODE_ENV: 'development' };
  if (natsStreamReplicas !== undefined) env.NATS_STREAM_REPLICAS = String(natsStreamReplicas);
  const service = serviceOf(name);
  if (service) env.DATABASE_URL = databaseUrls[service];
  if (name === 'payment-service') env.PAYMENT_PROVIDER_URL = urls['payment-provider-sim'];
  if (name === 'shipping-service') env.CARRIER_URL = urls['carrier-sim'];
  if (name !== 'gateway') env.CALLER_TOKEN_PUBLIC_KEY = callerTokenKeys.CALLER_TOKEN_PUBLIC_KEY;
  if (name === 'gateway') {
    Object.assign(env, {
      CALLER_TOKEN_PRIVATE_KEY: callerTokenKeys.CALLER_TOKEN_PRIVATE_KEY,
      ORDER_SERVICE_URL: urls['order-service'],
      WEB_BFF_URL: urls['web-bff'],
      MOBILE_BFF_URL: urls['mobile-bff'],
      JWT_SECRET: jwt.secret,
      JWT_ISSUER: jwt.issuer,
      JWT_AUDIENCE: jwt.audience,
      AUTH_DEV_LOGIN_ENABLED: 'true',
    });
  }
  return env;
}
