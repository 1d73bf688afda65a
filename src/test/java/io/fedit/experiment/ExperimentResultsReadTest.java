package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.testing.EvalTableFixtures;
import io.fedit.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** experiment/results reads back by seed file as written, and Spark-written files of the same schema read too. */
class ExperimentResultsReadTest {
  @TempDir Path dir;

  private static ExperimentRow row(String arm, long seed, double loss) {
    return new ExperimentRow(arm, seed, "", "heldout", "ALL", 10, 300, loss, loss + 1, Double.NaN, loss - 0.1,
        loss + 0.1);
  }

  @Test
  void seedsReadBackInFileOrderAndForeignFilesAreRowsToo() throws Exception {
    Configuration conf = new Configuration();
    RunLayout run = RunLayout.of(dir.resolve("run").toString());
    ExperimentResults results = new ExperimentResults(conf, run);
    assertEquals(List.of(), results.readAll());
    results.write(2, List.of(row(ExperimentRow.FEDIT, 2, 2.0), row(ExperimentRow.BASE, 2, 3.0)));
    results.write(1, List.of(row(ExperimentRow.FEDIT, 1, 2.5)));
    assertEquals(List.of(row(ExperimentRow.FEDIT, 1, 2.5), row(ExperimentRow.FEDIT, 2, 2.0),
        row(ExperimentRow.BASE, 2, 3.0)), results.readAll());
    assertEquals(dir.resolve("run/experiment/results").toString(), results.table().toUri().getPath());

    String other = dir.resolve("spark-run").toString();
    EvalTableFixtures.experimentResults(LocalSpark.get(), other, List.of("heldout"), 2, 3);
    long expected = LocalSpark.get().read().parquet(other + "/experiment/results").count();
    List<ExperimentRow> read = ExperimentResults.read(conf, RunLayout.of(other).table(Table.EXPERIMENT_RESULTS));
    assertEquals(expected, read.size());
    assertEquals(Double.NaN, read.get(0).rougeL(), "null reads as NaN");
  }
}
