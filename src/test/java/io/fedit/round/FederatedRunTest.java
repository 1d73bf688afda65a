package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterWeights;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole federated runs on local[2] with the tiny Llama and Dolly: FedAvg, resume, metrics tables. */
@Tag("slow") // full federated runs; jobs/test --fast leaves it out
class FederatedRunTest {
  @TempDir Path dir;

  private RoundDriver open(RunConfig cfg, PeftExport peft) throws IOException {
    SparkSession spark = LocalSpark.get();
    PrepareJob.run(spark, cfg);
    return new RoundDriver(spark, cfg, new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(), peft));
  }

  private static PeftExport peft() {
    return PeftExport.standard();
  }

  @Test
  void eachRoundsGlobalAdapterIsTheExampleWeightedMeanOfItsAcceptedUpdates() throws Exception {
    RunConfig cfg = SmallRun.config(SmallRun.sampleData(dir).toString(), dir.resolve("runs").toString(),
        "checkpoint.keep_client_updates=true");
    RoundDriver driver = open(cfg, peft());
    List<RoundReport> reports = driver.runUntil(3, r -> { });
    assertEquals(3, reports.size());
    CheckpointStore store = driver.store();
    AdapterWeights previous = driver.startingAdapter(1);
    for (int round = 1; round <= 3; round++) {
      Map<String, AdapterWeights> updates = store.loadClientUpdates(round);
      List<ClientMetricsRow> rows = store.readClientMetrics(round);
      assertEquals(3, rows.size(), "3 of 10 clients sampled");
      List<ClientMetricsRow> accepted = rows.stream().filter(r -> r.status().equals("accepted")).toList();
      assertEquals(updates.keySet(), new java.util.HashSet<>(accepted.stream().map(ClientMetricsRow::clientId).toList()));
      // Recompute FedAvg by hand from the stored updates: Σ n_k w_k / Σ n_k, in double.
      AdapterWeights global = store.loadAdapter(round);
      double total = accepted.stream().mapToLong(ClientMetricsRow::examples).sum();
      for (var e : global.tensors().entrySet()) {
        float[] got = e.getValue().values();
        for (int i = 0; i < got.length; i++) {
          double sum = 0;
          for (ClientMetricsRow r : accepted) sum += r.examples() * (double) updates.get(r.clientId()).get(e.getKey()).values()[i];
          assertEquals((float) (sum / total), got[i], 1e-7f * Math.max(1f, Math.abs(got[i])), e.getKey() + "[" + i + "]");
        }
      }
      assertNotEquals(previous, global, "round " + round + " moved the adapter");
      // Training changes both A and B: an update that only touched one would show here.
      assertTrue(global.distanceTo(previous) > 0);
      previous = global;
    }
    // The PEFT export sits beside the Parquet adapter.
    assertTrue(Files.exists(Path.of(io.fedit.fs.HadoopPaths.display(store.roundDir(3).toString())).resolve("peft/adapter_model.safetensors")));
    assertTrue(Files.exists(Path.of(io.fedit.fs.HadoopPaths.display(store.roundDir(3).toString())).resolve("peft/adapter_config.json")));
  }

  @Test
  void aRunKilledAfterRoundOneAndAgainInRoundTwosCommitEndsBitIdenticalToAnUninterruptedRun() throws Exception {
    String data = SmallRun.sampleData(dir).toString();
    RunConfig straight = SmallRun.config(data, dir.resolve("straight").toString());
    open(straight, peft()).runUntil(3, r -> { });
    AdapterWeights expected = CheckpointStore.forReading(straight.runDir(), new org.apache.hadoop.conf.Configuration())
        .loadAdapter(3);

    RunConfig resumed = SmallRun.config(data, dir.resolve("resumed").toString());
    open(resumed, peft()).runUntil(1, r -> { }); // "killed" after round 1 is committed
    String round1Manifest = Files.readString(Path.of(resumed.runDir(), "rounds/round-00001/manifest.json"));

    PeftExport crashing = new PeftExport((out, tensors, metadata) -> {
      throw new IOException("simulated crash in the middle of the commit");
    });
    RoundDriver dying = open(resumed, crashing);
    assertThrows(Exception.class, () -> dying.runUntil(3, r -> { }));
    assertEquals(1, dying.committedRounds(), "the half-written round 2 is invisible");

    RoundDriver restarted = open(resumed, peft());
    assertEquals(1, restarted.committedRounds());
    assertEquals(2, restarted.runUntil(3, r -> { }).size(), "rounds 2 and 3 run; round 1 is not redone");
    assertEquals(round1Manifest, Files.readString(Path.of(resumed.runDir(), "rounds/round-00001/manifest.json")));
    assertEquals(expected, restarted.store().loadAdapter(3), "bit for bit");
    for (String f : List.of("adapter.parquet", "peft/adapter_model.safetensors", "peft/adapter_config.json")) {
      assertArrayEquals(Files.readAllBytes(Path.of(straight.runDir(), "rounds/round-00003", f)),
          Files.readAllBytes(Path.of(resumed.runDir(), "rounds/round-00003", f)), f + ": the same bytes, not only the same content");
    }

    // Asking again for a committed round is a no-op; a round beyond the next is refused.
    assertTrue(restarted.runIfNext(2).isEmpty());
    assertThrows(RoundNotReadyException.class, () -> restarted.runIfNext(5));
  }

  @Test
  void changedSettingsCannotContinueACommittedRun() throws Exception {
    String data = SmallRun.sampleData(dir).toString();
    RunConfig cfg = SmallRun.config(data, dir.resolve("runs").toString(), "federation.rounds=1");
    open(cfg, peft()).runUntil(1, r -> { });
    RunConfig otherLr = SmallRun.config(data, dir.resolve("runs").toString(), "train.learning_rate=0.5");
    var e = assertThrows(io.fedit.config.ConfigException.class, () -> open(otherLr, peft()));
    assertTrue(e.getMessage().contains("train"), e.getMessage());
    // More rounds of the same run are fine.
    RunConfig more = SmallRun.config(data, dir.resolve("runs").toString(), "federation.rounds=2");
    assertEquals(1, open(more, peft()).runUntil(2, r -> { }).size());
  }

  @Test
  void analystsReadTheMetricsTablesWithSparkSqlAndDuckDb() throws Exception {
    RunConfig cfg = SmallRun.config(SmallRun.sampleData(dir).toString(), dir.resolve("runs").toString(),
        "federation.rounds=2");
    RoundDriver driver = open(cfg, peft());
    driver.runUntil(2, r -> { });
    String clients = driver.store().clientMetricsTable();
    String rounds = driver.store().roundMetricsTable();

    SparkSession spark = LocalSpark.get();
    spark.read().parquet(clients).createOrReplaceTempView("client_metrics");
    spark.read().parquet(rounds).createOrReplaceTempView("round_metrics");
    List<Row> perRound = spark.sql("SELECT round, count(*) AS clients, sum(examples) AS examples, "
        + "sum(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted FROM client_metrics GROUP BY round ORDER BY round")
        .collectAsList();
    assertEquals(2, perRound.size());
    for (Row r : perRound) {
      assertEquals(3L, r.getLong(1));
      assertTrue(r.getLong(2) > 0);
    }
    Row overhead = spark.sql("SELECT count(*), min(wall_ms - training_ms), max(training_ms) FROM round_metrics").first();
    assertEquals(2L, overhead.getLong(0));
    assertTrue(overhead.getLong(2) > 0, "training time recorded");

    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT round, count(*), sum(tokens), avg(mean_loss) FROM read_parquet('"
             + io.fedit.fs.HadoopPaths.display(clients) + "/*.parquet') "
             + "GROUP BY round ORDER BY round")) {
      List<long[]> got = new ArrayList<>();
      while (rs.next()) {
        got.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
        assertTrue(rs.getDouble(4) > 0 && rs.getDouble(4) < 20, "a plausible mean loss: " + rs.getDouble(4));
      }
      assertEquals(2, got.size());
      assertEquals(1L, got.get(0)[0]);
      assertEquals(3L, got.get(0)[1]);
      long sparkTokens = spark.sql("SELECT sum(tokens) FROM client_metrics WHERE round = 1").first().getLong(0);
      assertEquals(sparkTokens, got.get(0)[2], "both engines read the same numbers");
    }
    assertFalse(driver.store().readRoundMetrics().isEmpty());
  }
}
