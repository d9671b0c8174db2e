// Merged into @jupyter/builder's Rspack config ("jupyterlab.webpackConfig" in package.json).
// plotly.js is one lazily loaded 4.4 MiB chunk by design, so the asset-size hint is noise.
module.exports = {
  performance: { hints: false },
};
