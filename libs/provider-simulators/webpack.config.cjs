const { appWebpackConfig } = require('../../tools/build/webpack-app.cjs');

// One image, two simulators: main.js is the payment provider, `node carrier.js` runs the carrier.
module.exports = appWebpackConfig(__dirname, { main: './src/payment-provider.main.ts', entries: { carrier: './src/carrier.main.ts' } });
