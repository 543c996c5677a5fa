import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { APPS, BEHIND_GATEWAY, CALLER_TOKEN_KEYS, CALLER_TOKEN_SIGNER, CONTAINER_HOST, Deployable, SERVICES_WITH_DATABASE, SIMULATORS } from './deployment-contract';
import { dockerfileHasHealthcheck } from './dockerfile-rules';
import { unpinnedImageReason } from './image-reference';
import { Problem } from './manifest';

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: Array<string | { type?: string; source?: string }>;
}

interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const HEALTHY = 'service_healthy';
const COMPLETED = 'service_completed_successfully';
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$/i;
/** `${VAR}` or `${VAR:?message}`: a value the environment must supply. `${VAR:-default}` would commit the default. */
const REFERENCE = /^\$\{\w+(:?\?[^}]*)?\}$/;
const MIGRATION = /\bmigrate\.js\b/;
/** `${VAR:?message}`: compose refuses to start while the variable is unset or empty. */
const REQUIRED_REFERENCE = /^\$\{\w+:\?[^}]*\}$/;

/** The compose file and what it is read against: the Dockerfile next to it builds every app. */
class Compose {
  readonly services: Record<string, ComposeService>;
  readonly dockerfile: string;
  private readonly dir: string;
  private readonly namedVolumes: Set<string>;
  private readonly imageHealthcheck: boolean;

  constructor(file: string) {
    // Compose files share blocks through YAML merge keys (`<<: *anchor`), a YAML 1.1 feature.
    const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
    this.services = compose.services ?? {};
    this.namedVolumes = new Set(Object.keys(compose.volumes ?? {}));
    this.dir = dirname(file);
    this.dockerfile = resolve(this.dir, 'Dockerfile');
    this.imageHealthcheck = existsSync(this.dockerfile) && dockerfileHasHealthcheck(this.dockerfile);
  }

  buildsFromDockerfile(service: ComposeService | undefined): boolean {
    if (!service?.build) return false;
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    return resolve(this.dir, build.context ?? '.', build.dockerfile ?? 'Dockerfile') === this.dockerfile;
  }

  hasHealthcheck(service: ComposeService | undefined): boolean {
    const own = service?.healthcheck;
    if (own?.disable || [own?.test ?? []].flat()[0] === 'NONE') return false;
    return own?.test !== undefined || (this.imageHealthcheck && this.buildsFromDockerfile(service));
  }

  /** Whether the service waits for `target` to reach `condition`, itself or through what it waits for. */
  waitsFor(service: ComposeService, target: string, condition: string, seen = new Set<ComposeService>()): boolean {
    if (seen.has(service)) return false;
    seen.add(service);
    return Object.entries(conditionsOf(service)).some(
      ([name, dependency]) =>
        (name === target && dependency.condition === condition) ||
        ([HEALTHY, COMPLETED].includes(dependency.condition ?? '') && this.services[name] !== undefined && this.waitsFor(this.services[name], target, condition, seen)),
    );
  }

  hasNamedVolume(service: ComposeService): boolean {
    return (service.volumes ?? []).some((volume) => {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.type === undefined || volume.type === 'volume' ? volume.source : undefined;
      return source !== undefined && this.namedVolumes.has(source);
    });
  }
}

/** The compose file runs the whole platform from the one Dockerfile, starting each app only once what it needs is ready. */
export function checkCompose(file: string): Problem[] {
  const compose = new Compose(file);
  const deployables = [...APPS, ...SIMULATORS];
  const problems: Array<[string, string[]]> = [
    ...[...deployables.map(({ name }) => name), 'nats', 'postgres'].map((name): [string, string[]] => [
      name,
      compose.services[name] ? [] : ['is not a service of the compose file'],
    ]),
    ...deployables.filter(({ name }) => compose.services[name]).map((deployable): [string, string[]] => [deployable.name, appProblems(compose, deployable)]),
    ...Object.entries(compose.services).map(([name, service]): [string, string[]] => [name, serviceProblems(compose, service)]),
    ['nats', compose.services.nats ? natsProblems(compose, compose.services.nats) : []],
    ['postgres', compose.services.postgres && !compose.hasNamedVolume(compose.services.postgres) ? ['keeps its data in no named volume'] : []],
  ];
  return problems.flatMap(([service, messages]) => messages.map((message) => ({ object: `compose service ${service}`, message })));
}

const commandOf = (service: ComposeService | undefined): string => [service?.command ?? []].flat().join(' ');
const conditionsOf = (service: ComposeService): Record<string, { condition?: string }> => (Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {}));

function buildArgs(service: ComposeService | undefined): Record<string, string> {
  const args = typeof service?.build === 'object' ? service.build.args : undefined;
  if (!Array.isArray(args)) return args ?? {};
  return Object.fromEntries(args.map((arg) => [arg.split('=')[0], arg.split('=').slice(1).join('=')]));
}

function appProblems(compose: Compose, deployable: Deployable): string[] {
  const service = compose.services[deployable.name];
  const dependsOn = conditionsOf(service);
  const needs = (name: string, condition: string) => (compose.waitsFor(service, name, condition) ? [] : [`does not wait for ${name} with condition ${condition}`]);
  const isService = SERVICES_WITH_DATABASE.includes(deployable);
  const migratedBy = Object.entries(dependsOn).filter(
    ([name, { condition }]) => condition === COMPLETED && MIGRATION.test(commandOf(compose.services[name])) && buildArgs(compose.services[name]).APP === deployable.project,
  );
  return [
    ...(compose.buildsFromDockerfile(service) ? [] : [`is not built from ${compose.dockerfile}`]),
    ...(buildArgs(service).APP === deployable.project ? [] : [`builds with APP=${buildArgs(service).APP ?? '<unset>'}, not APP=${deployable.project}`]),
    ...(compose.hasHealthcheck(service) ? [] : ['has no healthcheck (neither its own nor from the image)']),
    ...(deployable.component === 'simulator' ? [] : needs('nats', HEALTHY)),
    ...(isService ? needs('postgres', HEALTHY) : []),
    ...(isService && migratedBy.length === 0 ? [`does not depend on its migration one-shot (node migrate.js, APP=${deployable.project}) with condition ${COMPLETED}`] : []),
    ...hostProblems(service),
  ];
}

/** Rules for every service: pinned images, dependencies that wait for readiness, no committed secrets. */
function serviceProblems(compose: Compose, service: ComposeService): string[] {
  const image = service.image === undefined ? undefined : unpinnedImageReason(service.image);
  return [
    ...(image ? [image] : []),
    ...(Array.isArray(service.depends_on) ? ['lists depends_on without conditions, so it starts before its dependencies are ready'] : []),
    ...Object.entries(conditionsOf(service)).flatMap(([name, { condition }]) => {
      if (condition === HEALTHY) return compose.hasHealthcheck(compose.services[name]) ? [] : [`waits for ${name} to be healthy, but ${name} has no healthcheck`];
      if (condition === COMPLETED) return MIGRATION.test(commandOf(compose.services[name])) ? [] : [`waits for ${name} to complete, but ${name} is not a migration one-shot`];
      return [`depends on ${name} with condition ${condition ?? 'service_started'}, not ${HEALTHY}`];
    }),
    ...(MIGRATION.test(commandOf(service)) && conditionsOf(service).postgres?.condition !== HEALTHY
      ? [`runs migrations without depending on postgres with condition ${HEALTHY}`]
      : []),
    ...literalSecrets(service),
    ...callerTokenProblems(service),
  ];
}

/** The variables a service sets with a value; `- NAME` alone passes the shell's value through and is left out. */
function environmentOf(service: ComposeService): Map<string, string> {
  const entries = Array.isArray(service.environment)
    ? service.environment.filter((entry) => entry.includes('=')).map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')] as const)
    : Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value ?? '')] as const);
  return new Map(entries);
}

/**
 * Whatever runs the gateway's image requires the caller-token private key, whatever runs an app behind
 * it requires the public key, from docker/.env; a migration one-shot reads only DATABASE_URL.
 */
function callerTokenProblems(service: ComposeService): string[] {
  const { private: signing, public: verification } = CALLER_TOKEN_KEYS;
  const app = buildArgs(service).APP;
  const environment = environmentOf(service);
  const names = Array.isArray(service.environment) ? service.environment.map((entry) => entry.split('=')[0]) : Object.keys(service.environment ?? {});
  const requires = ({ variable }: { variable: string }) =>
    REQUIRED_REFERENCE.test(environment.get(variable) ?? '') ? [] : [`does not require ${variable} from the environment (\${${variable}:?message})`];
  return [
    ...(app === CALLER_TOKEN_SIGNER ? requires(signing) : []),
    ...(BEHIND_GATEWAY.some(({ project }) => project === app) && !MIGRATION.test(commandOf(service)) ? requires(verification) : []),
    ...(app !== CALLER_TOKEN_SIGNER && names.includes(signing.variable) ? [`gets ${signing.variable}, which only the gateway may have`] : []),
  ];
}

function literalSecrets(service: ComposeService): string[] {
  const fromEnvironment = [...environmentOf(service)].flatMap(([name, value]) => {
    if (SECRET_NAME.test(name) && value !== '' && !REFERENCE.test(value)) return [`environment ${name} has a literal value instead of a \${VARIABLE} reference`];
    const password = /:\/\/[^:/@\s]+:([^@\s]+)@/.exec(value)?.[1];
    return password !== undefined && !REFERENCE.test(password) ? [`environment ${name} has a URL with a literal password`] : [];
  });
  const fromCommand = [...commandOf(service).matchAll(/--(?:pass|password|auth)[= ](\S+)/g)]
    .filter(([, value]) => !REFERENCE.test(value) && !/^\$\w+$/.test(value))
    .map(() => 'passes a literal password on its command line');
  return [...fromEnvironment, ...fromCommand];
}

/** The image listens on 0.0.0.0; an app told to listen on loopback is unreachable from the other containers. */
function hostProblems(service: ComposeService): string[] {
  const host = environmentOf(service).get('HOST');
  return host === undefined || host === CONTAINER_HOST ? [] : [`listens on HOST=${host}, not ${CONTAINER_HOST}: the other containers cannot reach it`];
}

function natsProblems(compose: Compose, nats: ComposeService): string[] {
  return [
    ...(/(^|\s)(-js|--jetstream)(\s|$)/.test(commandOf(nats)) ? [] : ['does not run with JetStream (-js)']),
    ...(compose.hasNamedVolume(nats) ? [] : ['keeps its JetStream data in no named volume']),
  ];
}
