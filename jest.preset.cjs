// Shared Jest settings. NestJS 12 and cockatiel ship ES modules, so they are transpiled to CommonJS
// together with our TypeScript; everything else in node_modules is loaded as is.
const esmPackages = ['@nestjs', 'cockatiel', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit'];

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  // Integration tests talk to real Postgres and NATS on a two-core machine.
  testTimeout: 30_000,
};
