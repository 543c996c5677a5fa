module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'mobile-bff',
  rootDir: __dirname,
};
