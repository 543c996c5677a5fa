module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'resilience',
  rootDir: __dirname,
};
