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
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:kernel'] },
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:kernel', 'type:testing', 'type:tool'] },
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
];
