/* The locales of the npm package plotly.js-locales are CommonJS modules
   ("module.exports = {...}"). Loaded after plotly.min.js and before a locale file, this gives
   that file a `module` to export into; report-figures.js registers the export and removes it. */
window.module = {exports: {}};
