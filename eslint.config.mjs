import nx from '@nx/eslint-plugin';
import prettier from 'eslint-plugin-prettier/recommended';

// Imports that make code depend on a framework, an ORM, a broker, an outer layer or any of our
// infrastructure libs. Domain code must stay free of them so it can be tested and reasoned about alone.
const infrastructureImports = [
  '@nestjs/*',
  'typeorm',
  'pg',
  '@nats-io/*',
  'express',
  'cockatiel',
  'prom-client',
  '@opentelemetry/*',
  'pino',
  'nestjs-pino',
  'jsonwebtoken',
  'rxjs',
  '@orders/*',
  '!@orders/shared-kernel',
  '!@orders/contracts',
  '**/infrastructure/**',
  '**/application/**',
  '**/interface/**',
];

// Production code never runs against test helpers or simulated providers; tests may.
const testOnlyImports = [
  { name: '@orders/testing', message: 'Test helpers are for tests only.' },
  { name: '@orders/provider-simulators', message: 'The provider simulators are test doubles: production code talks to the real providers.' },
];

// From the contracts, domain code may name the saga's vocabulary; envelopes, schemas, subjects and headers are transport.
const sagaVocabulary = ['SagaStep', 'Compensation', 'SagaCancellationReason', 'CancellationReason', 'SAGA_STEPS', 'COMPENSATIONS'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  // One formatter: code prettier would change fails lint (`npm run format` fixes it).
  prettier,
  {
    ignores: ['**/node_modules', '**/dist', '**/tmp', '**/.local', '**/*.cjs'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Apps reach test helpers and the provider simulators from their tests only (see below).
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing', 'type:test-double'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:kernel'] },
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:lib'] },
            // The provider simulators stand in for real providers: self-contained, usable by tests and tools.
            { sourceTag: 'type:test-double', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing', 'type:test-double', 'type:tool'] },
            // What only the edge (gateway and BFFs) uses, such as reading other services on a caller's behalf, stays there.
            { sourceTag: 'scope:edge', onlyDependOnLibsWithTags: ['scope:edge', 'scope:shared'] },
            { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:shipping', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/*/src/**/*.ts', 'apps/*/src/**/*.tsx', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: testOnlyImports }],
    },
  },
  {
    // After the block above, which it extends: a file's last matching block sets the rule.
    files: ['apps/*/src/domain/**/*.ts', 'libs/shared-kernel/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...testOnlyImports,
            {
              name: '@orders/contracts',
              allowImportNames: sagaVocabulary,
              message: 'Domain code names the saga vocabulary only; envelopes, schemas, subjects and headers belong to the outer layers.',
            },
          ],
          patterns: [
            {
              group: infrastructureImports,
              message: 'Domain code is framework-free: depend on ports defined in the domain, not on NestJS, TypeORM, NATS, our infrastructure libs or outer layers.',
            },
          ],
        },
      ],
    },
  },
];
