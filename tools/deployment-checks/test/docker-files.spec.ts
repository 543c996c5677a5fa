import { checkCompose, checkDockerfile, Problem } from '../src';
import { join } from 'node:path';

const FIXTURES = join(__dirname, 'fixtures/docker');

const byObjectAndMessage = (a: Problem, b: Problem) => a.object.localeCompare(b.object) || a.message.localeCompare(b.message);

describe('a broken Dockerfile', () => {
  const file = join(FIXTURES, 'Dockerfile');

  it('fails every rule it breaks', () => {
    const stage = `${file} stage 0`;
    expect(checkDockerfile(file).sort(byObjectAndMessage)).toEqual(
      [
        { object: file, message: 'is not a multi-stage build' },
        { object: file, message: 'has no ARG APP' },
        { object: stage, message: 'the final stage runs as root' },
        { object: stage, message: 'the final stage sets NODE_ENV=development, not production' },
        { object: stage, message: 'the final stage has no HEALTHCHECK' },
        { object: stage, message: 'the final stage sets HOST=<unset>, not 0.0.0.0' },
        { object: stage, message: 'the runtime dependencies are not installed with --omit=dev' },
        { object: stage, message: 'line 7 installs devDependencies into the runtime image: npm ci && npx nx build gateway' },
        { object: stage, message: 'base image node:latest uses the :latest tag' },
      ].sort(byObjectAndMessage),
    );
  });
});

describe('a broken compose file', () => {
  const file = join(FIXTURES, 'compose.yaml');
  const dockerfile = join(FIXTURES, 'Dockerfile');
  const service = (name: string, message: string): Problem => ({ object: `compose service ${name}`, message });

  it('fails every rule it breaks', () => {
    expect(checkCompose(file).sort(byObjectAndMessage)).toEqual(
      [
        service('carrier-sim', 'is not a service of the compose file'),
        service('nats', 'does not run with JetStream (-js)'),
        service('nats', 'keeps its JetStream data in no named volume'),
        service('nats', 'passes a literal password on its command line'),
        service('postgres', 'image postgres:latest uses the :latest tag'),
        service('postgres', 'environment POSTGRES_PASSWORD has a literal value instead of a ${VARIABLE} reference'),
        service('postgres', 'keeps its data in no named volume'),
        service('gateway', 'environment JWT_SECRET has a literal value instead of a ${VARIABLE} reference'),
        service('gateway', 'waits for web-bff to complete, but web-bff is not a migration one-shot'),
        service('gateway', 'does not require CALLER_TOKEN_PRIVATE_KEY from the environment (${CALLER_TOKEN_PRIVATE_KEY:?message})'),
        service('web-bff', 'builds with APP=gateway, not APP=web-bff'),
        // It runs the gateway's image, which signs caller tokens.
        service('web-bff', 'does not require CALLER_TOKEN_PRIVATE_KEY from the environment (${CALLER_TOKEN_PRIVATE_KEY:?message})'),
        service('mobile-bff', 'does not require CALLER_TOKEN_PUBLIC_KEY from the environment (${CALLER_TOKEN_PUBLIC_KEY:?message})'),
        service('mobile-bff', 'listens on HOST=127.0.0.1, not 0.0.0.0: the other containers cannot reach it'),
        service('mobile-bff', 'image order-platform/mobile-bff has no tag (that is :latest)'),
        service('mobile-bff', 'lists depends_on without conditions, so it starts before its dependencies are ready'),
        service('mobile-bff', 'does not wait for nats with condition service_healthy'),
        service('order-migrate', 'environment DATABASE_URL has a URL with a literal password'),
        service('inventory-migrate', 'runs migrations without depending on postgres with condition service_healthy'),
        service('inventory-service', 'does not wait for postgres with condition service_healthy'),
        service('payment-service', 'depends on nats with condition service_started, not service_healthy'),
        service('payment-service', 'does not wait for nats with condition service_healthy'),
        service('payment-service', 'does not wait for postgres with condition service_healthy'),
        service('payment-service', 'does not depend on its migration one-shot (node migrate.js, APP=payment-service) with condition service_completed_successfully'),
        service('shipping-service', `is not built from ${dockerfile}`),
        service('shipping-service', 'waits for payment-provider-sim to be healthy, but payment-provider-sim has no healthcheck'),
        service('shipping-service', 'does not wait for postgres with condition service_healthy'),
        service('shipping-service', 'does not depend on its migration one-shot (node migrate.js, APP=shipping-service) with condition service_completed_successfully'),
        service('payment-provider-sim', 'has no healthcheck (neither its own nor from the image)'),
        service('payment-provider-sim', 'gets CALLER_TOKEN_PRIVATE_KEY, which only the gateway may have'),
      ].sort(byObjectAndMessage),
    );
  });
});
