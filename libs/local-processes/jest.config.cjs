module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'local-processes',
  rootDir: __dirname,
};
