package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.round;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.layout.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed readers of metrics/client_metrics and metrics/round_metrics give back what the round commits wrote. */
class MetricsTableReadersTest {
  @TempDir Path dir;

  @Test
  void theTablesReadBackAsTheCommittedRowsRoundByRound() throws Exception {
    Configuration conf = new Configuration();
    String runDir = dir.resolve("run").toString();
    RunLayout run = RunLayout.of(runDir);
    assertEquals(List.of(), MetricsParquet.readClientMetricsTable(conf, run), "no round yet: empty, not an error");
    assertEquals(List.of(), MetricsParquet.readRoundMetricsTable(conf, run));

    CheckpointStore store = new CheckpointStore(runDir, conf);
    for (int r = 1; r <= 3; r++) store.commit(round(r, false));
    // A file being written (hidden) is not part of the table.
    Files.writeString(dir.resolve("run/metrics/round_metrics/_tmp-round-00004-x.parquet"), "partial");

    List<ClientMetricsRow> clients = new ArrayList<>();
    for (int r = 1; r <= 3; r++) clients.addAll(store.readClientMetrics(r));
    assertEquals(clients, MetricsParquet.readClientMetricsTable(conf, run));
    assertEquals(12, clients.size(), "3 rounds x 4 clients");
    List<RoundMetricsRow> rounds = MetricsParquet.readRoundMetricsTable(conf, run);
    assertEquals(store.readRoundMetrics(), rounds);
    assertEquals(List.of(1, 2, 3), rounds.stream().map(RoundMetricsRow::round).toList());
  }
}
