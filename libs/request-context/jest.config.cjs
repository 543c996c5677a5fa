module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'request-context',
  rootDir: __dirname,
};
