const { appWebpackConfig } = require('../../tools/build/webpack-app.cjs');

module.exports = appWebpackConfig(__dirname, { main: './src/main.ts', entries: { migrate: './src/migrate.ts' } });
