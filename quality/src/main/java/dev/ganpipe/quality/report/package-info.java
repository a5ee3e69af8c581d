/**
 * An {@link dev.ganpipe.quality.EvaluationReport} for people and programs: a plain-text table
 * ({@link dev.ganpipe.quality.report.ReportTable}), JSON ({@link dev.ganpipe.quality.report.ReportJson}) and a
 * PNG figure of generated samples per predicted class beside the metric bars
 * ({@link dev.ganpipe.quality.report.ReportFigure}, drawn with java.awt, headless).
 */
package dev.ganpipe.quality.report;
