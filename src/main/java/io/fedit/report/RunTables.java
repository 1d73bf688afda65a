package io.fedit.report;

import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.MetricsParquet;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalTables;
import io.fedit.experiment.ExperimentResults;
import io.fedit.experiment.ExperimentRow;
import io.fedit.judge.JudgeScoreRow;
import io.fedit.judge.JudgeScoresTable;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
import io.fedit.prepare.ClientStatsRow;
import io.fedit.prepare.ClientStatsTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The tables the report shows, each read by its owner's typed reader (whatever wrote the files: one file per
 * round or seed, or Spark part files). A table that does not exist, or holds no data file yet, is absent rather
 * than an error, so that a report can be written at any stage of a run.
 */
final class RunTables {
  /** A table's owner reading it from the run. */
  private interface Reader<T> {
    List<T> read() throws IOException;
  }

  private final Configuration conf;
  private final RunLayout run;
  private final Path results;

  /** {@code resultsDir}: where experiment/results is when it is not under the run (an experiment's arm), or null. */
  RunTables(Configuration conf, String runDir, String resultsDir) {
    this.conf = conf;
    this.run = RunLayout.of(runDir);
    this.results = resultsDir != null ? new Path(resultsDir) : run.table(Table.EXPERIMENT_RESULTS);
  }

  Optional<List<EvalMetricsRow>> evalMetrics() throws IOException {
    return ifPresent(run.table(Table.EVAL_METRICS), () -> EvalTables.readMetricsTable(conf, run));
  }

  Optional<List<RoundMetricsRow>> roundMetrics() throws IOException {
    return ifPresent(run.table(Table.ROUND_METRICS), () -> MetricsParquet.readRoundMetricsTable(conf, run));
  }

  Optional<List<ClientMetricsRow>> clientMetrics() throws IOException {
    return ifPresent(run.table(Table.CLIENT_METRICS), () -> MetricsParquet.readClientMetricsTable(conf, run));
  }

  Optional<List<ClientStatsRow>> clientStats() throws IOException {
    return ifPresent(run.table(Table.CLIENT_STATS), () -> ClientStatsTable.read(conf, run));
  }

  Optional<List<ExperimentRow>> experimentResults() throws IOException {
    return ifPresent(results, () -> ExperimentResults.read(conf, results));
  }

  Optional<List<JudgeScoreRow>> judgeScores() throws IOException {
    return ifPresent(run.table(Table.JUDGE_SCORES), () -> new JudgeScoresTable(run.toString(), conf).readAll());
  }

  /** data/summary.json as text (embedded in the page as it is), or empty when the data was not prepared. */
  Optional<String> prepareSummary() throws IOException {
    Path p = run.prepareSummary();
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) return Optional.empty();
    try (var in = fs.open(p)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private <T> Optional<List<T>> ifPresent(Path table, Reader<T> reader) throws IOException {
    return TableFiles.of(conf, table).isEmpty() ? Optional.empty() : Optional.of(reader.read());
  }
}
