export {
  CHAPTER_FIGURES,
  ResultsError,
  runsOf,
  summarize,
  type ActivationName,
  type ActivationSpec,
  type Misclassified,
  type PyTorchFigures,
  type ReferenceFigure,
  type ReferenceFigures,
  type ResultsFile,
  type ResultsMeta,
  type RunConfig,
  type RunResult,
  type VariantSummary,
} from './results.js';
export { validateResults } from './validate.js';
export {
  bestVariant,
  formatAccuracy,
  formatChapter,
  formatCount,
  formatPercent,
  formatReference,
  formatSeconds,
} from './format.js';
export { formatMarkdownTable, formatTable, type TableOptions } from './table.js';
export { SMOOTHING_WINDOW, meanSeries, movingAverage, smoothingWindow, thinnedIndices, thinningStride } from './smooth.js';
export { lossPlotSpec, overlayPlotSpec, type PlotSpecOptions } from './plot-specs.js';
export {
  renderLossPlot,
  renderOverlayPlot,
  specToSvg,
  svgToPng,
  svgToPngSync,
  type PlotOptions,
  type RenderedPlot,
} from './plots.js';
export { digitDataUri, digitPng } from './digits.js';
export { escapeHtml } from './escape.js';
export { confusionTableHtml, sumConfusion } from './confusion.js';
export { renderReportHtml, type HtmlOptions, type PlotImage, type ReportPlots } from './html.js';
export { stringifyResults, writeRunFolder, type WriteRunOptions } from './write.js';
