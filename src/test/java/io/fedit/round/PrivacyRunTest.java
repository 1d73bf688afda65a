package io.fedit.round;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.checkpoint.PrivacyLedgerRow;
import io.fedit.config.RunConfig;
import io.fedit.federation.privacy.RdpAccountant;
import io.fedit.lora.AdapterWeights;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DP-FedAvg end to end on local[2]: clipping on the executors, noise of the documented scale on the server,
 * a ledger row committed with each round (and only then: a crashed commit spends nothing), and the round
 * that would exceed privacy.target_epsilon refused.
 */
@Tag("slow") // full federated runs; jobs/test --fast leaves it out
class PrivacyRunTest {
  @TempDir Path dir;

  private static final double SIGMA = 1.0, CLIP = 1e-3, DELTA = 1e-3, Q = 0.2; // 2 of 10 clients per round

  private static RoundDriver open(RunConfig cfg, PeftExport peft) throws IOException {
    SparkSession spark = LocalSpark.get();
    PrepareJob.run(spark, cfg);
    return new RoundDriver(spark, cfg, new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(), peft));
  }

  private static double epsilonAfter(int rounds) {
    return new RdpAccountant().compose(Q, SIGMA, rounds).epsilon(DELTA).epsilon();
  }

  @Test
  void ledgerIsCommittedWithEachRoundNeverDoubleSpentAndTheBudgetStopsTheRun() throws Exception {
    double target = (epsilonAfter(2) + epsilonAfter(3)) / 2; // rounds 1 and 2 fit, round 3 does not
    RunConfig cfg = SmallRun.config(SmallRun.sampleData(dir).toString(), dir.resolve("runs").toString(),
        "train.max_steps=1", "federation.client_fraction=0.2", "checkpoint.keep_client_updates=true",
        "privacy.enabled=true", "privacy.clip_norm=" + CLIP, "privacy.noise_multiplier=" + SIGMA,
        "privacy.delta=" + DELTA, "privacy.target_epsilon=" + target);
    RoundDriver first = open(cfg, PeftExport.standard());
    first.runUntil(1, r -> { });
    RoundDriver dying = open(cfg, new PeftExport((out, tensors, metadata) -> {
      throw new IOException("simulated crash in the middle of the commit");
    }));
    assertThrows(Exception.class, () -> dying.runUntil(2, r -> { }));
    assertEquals(1, dying.store().readPrivacyLedger().size(), "the crashed round 2 spent nothing");

    RoundDriver restarted = open(cfg, PeftExport.standard());
    var e = assertThrows(PrivacyBudgetExhaustedException.class, () -> restarted.runUntil(3, r -> { }));
    assertTrue(e.getMessage().contains("round 3") && e.getMessage().contains("target_epsilon"), e.getMessage());
    assertEquals(2, restarted.committedRounds(), "round 3 was not run");
    assertFalse(Files.exists(Path.of(cfg.runDir(), "rounds/round-00003")));

    List<PrivacyLedgerRow> ledger = restarted.store().readPrivacyLedger();
    assertEquals(2, ledger.size());
    for (int r = 1; r <= 2; r++) {
      PrivacyLedgerRow row = ledger.get(r - 1);
      assertEquals(r, row.round());
      assertEquals(Q, row.q(), 1e-12);
      assertEquals(epsilonAfter(r), row.epsilonSpent(), 1e-12, "round " + r + " charged once");
      assertEquals(1.0, row.clippedShare(), "a clip norm of 1e-3 clips every client");
    }

    // Noise scale: the committed global minus (x + Σ clipped deltas / m) is the noise / m, std sigma·C/m.
    CheckpointStore store = restarted.store();
    AdapterWeights x = restarted.startingAdapter(1), global = store.loadAdapter(1);
    Map<String, AdapterWeights> updates = store.loadClientUpdates(1);
    assertEquals(2, updates.size());
    double s2 = 0;
    long n = 0;
    for (var t : x.tensors().entrySet()) {
      float[] xv = t.getValue().values(), g = global.get(t.getKey()).values();
      for (int i = 0; i < xv.length; i++) {
        double mean = xv[i];
        for (AdapterWeights u : updates.values()) mean += ((double) u.get(t.getKey()).values()[i] - xv[i]) / 2;
        s2 += (g[i] - mean) * (g[i] - mean);
        n++;
      }
    }
    for (AdapterWeights u : updates.values()) assertTrue(u.distanceTo(x) <= CLIP * (1 + 1e-4), "clipped on the executor");
    double expectedStd = SIGMA * CLIP / 2;
    assertEquals(expectedStd, Math.sqrt(s2 / n), 0.1 * expectedStd, "noise std sigma·C/m over " + n + " values");

    // privacy.client_metrics: redacted (the default): the clients' table keeps id, attempt and status only.
    LocalSpark.get().read().parquet(cfg.runDir() + "/metrics/client_metrics").createOrReplaceTempView("client_metrics");
    Row cm = LocalSpark.get().sql("SELECT count(*), count(examples), count(tokens), count(steps), count(mean_loss), "
        + "count(update_norm), count(wall_ms), count(client_id), min(status) FROM client_metrics").first();
    assertEquals(4L, cm.getLong(0), "2 clients x 2 rounds");
    for (int i = 1; i <= 6; i++) assertEquals(0L, cm.getLong(i), "column " + i + " withheld");
    assertEquals(4L, cm.getLong(7));
    assertEquals("accepted", cm.getString(8));

    // The ledger is a table for SQL.
    LocalSpark.get().read().parquet(store.privacyLedgerTable()).createOrReplaceTempView("ledger");
    List<Row> rows = LocalSpark.get().sql("SELECT round, epsilon_spent, clipped_share FROM ledger ORDER BY round").collectAsList();
    assertEquals(2, rows.size());
    assertEquals(epsilonAfter(2), rows.get(1).getDouble(1), 1e-12);

    // A delta that is not below 1 / clients (10 here) is a configuration error (exit 2), checked at open first.
    RunConfig badDelta = SmallRun.config(SmallRun.sampleData(dir).toString(), dir.resolve("runs").toString(),
        "privacy.enabled=true", "privacy.delta=0.2");
    var bad = assertThrows(io.fedit.config.ConfigException.class, () -> open(badDelta, PeftExport.standard()));
    assertTrue(bad.getMessage().contains("privacy.delta"), bad.getMessage());
  }
}
