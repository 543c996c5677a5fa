module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web-bff',
  rootDir: __dirname,
};
