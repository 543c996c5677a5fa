module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'system-e2e',
  rootDir: __dirname,
  // One stack for the whole suite; starting it compiles and boots nine processes.
  testTimeout: 120_000,
};
