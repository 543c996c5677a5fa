module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'shipping-service',
  rootDir: __dirname,
};
