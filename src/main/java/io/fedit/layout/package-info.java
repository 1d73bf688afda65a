/**
 * The map of a run directory ({@link io.fedit.layout.RunLayout}: every folder, file and table name, and how rounds
 * are named) and what a table's files are ({@link io.fedit.layout.TableFiles}). Layer: the lowest, beside fs; it
 * imports nothing of fedit, so every package that reads or writes a run can import it. Each table's schema, writer
 * and typed reader live with its owner (checkpoint.MetricsParquet, eval.EvalTables, judge.JudgeScoresTable,
 * prepare.ClientStatsTable, experiment.ExperimentResults), which asks here where the table is.
 */
package io.fedit.layout;
