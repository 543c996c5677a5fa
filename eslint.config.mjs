import nx from '@nx/eslint-plugin';

// Imports that make code depend on a framework, an ORM, a broker or another layer.
// Domain code must stay free of them so it can be tested and reasoned about alone.
const infrastructureImports = [
  '@nestjs/*',
  'typeorm',
  'pg',
  '@nats-io/*',
  'express',
  '@orders/messaging',
  '@orders/persistence',
  '@orders/health',
  '@orders/service-runtime',
  '**/infrastructure/**',
  '**/application/**',
  '**/interface/**',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules', '**/dist', '**/tmp', '**/.local', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
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
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/*/src/domain/**/*.ts', 'libs/shared-kernel/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: infrastructureImports,
              message: 'Domain code is framework-free: depend on ports defined in the domain, not on NestJS, TypeORM, NATS or outer layers.',
            },
          ],
        },
      ],
    },
  },
  {
    // Production code never runs against test helpers or simulated providers; tests may.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@orders/testing', message: 'Test helpers are for tests only.' },
            { name: '@orders/provider-simulators', message: 'The provider simulators are test doubles: production code talks to the real providers.' },
          ],
        },
      ],
    },
  },
];
