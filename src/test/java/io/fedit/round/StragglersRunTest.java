package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.PeftExport;
import io.fedit.checkpoint.RoundManifest;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.fs.QualifiedPaths;
import io.fedit.job.ExitCodes;
import io.fedit.job.FeditCli;
import io.fedit.lora.AdapterWeights;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.SystemPropertyFaults;
import io.fedit.testing.TenantData;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stragglers, live on local[2]: four tenant clients, 3 planned per round (client_fraction 0.75), over-selection
 * of one more (all 4 drawn), min_clients 2. A test-only switch ({@link SystemPropertyFaults}: {@code slow:ID})
 * makes a client sleep on the executor, so it finishes last or misses the deadline. One run, four rounds:
 * <ol>
 *   <li>no straggler: exactly the 3 planned clients are kept, the 4th is late (over-selected);</li>
 *   <li>delta is slow: the first 3 finishers (alpha, beta, gamma) are kept and averaged, delta is late, its
 *       cancelled task is killed at once (the executor's slots free again) and the manifest lists both groups;</li>
 *   <li>a 10 s deadline, gamma and delta slow: both late for the deadline, the round commits with the other two;</li>
 *   <li>a 2 s deadline leaves at most alpha, fewer than min_clients: {@code fedit round} exits 5, nothing of round 4
 *       committed.</li>
 * </ol>
 */
@Tag("slow")
class StragglersRunTest {
  private static final List<String> TENANTS = List.of("alpha", "beta", "gamma", "delta");

  @TempDir Path dir;

  private List<String> settings(Path data, String... more) {
    List<String> sets = new ArrayList<>(List.of("data.path=" + data, "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "partition.method=column", "data.client_key_column=tenant",
        "federation.client_fraction=0.75", "federation.min_clients=2", "federation.over_selection=1",
        "checkpoint.keep_client_updates=true", "eval.every_rounds=0", "data.cutoff_len=32", "train.batch_size=2",
        "train.micro_batch_size=2", "train.max_steps=1", "train.threads=1"));
    sets.addAll(List.of(more));
    return sets;
  }

  /** Runs round {@code round} in this JVM's shared session, with client {@code slow} faults (null = none). */
  private RoundReport round(Path data, int round, String slow, String... more) throws Exception {
    SparkSession spark = LocalSpark.get();
    // Qualified as the command line does, so that round 4 (through the command line) reuses the prepared data.
    RunConfig cfg = QualifiedPaths.of(ConfigLoader.load(null, settings(data, more)),
        spark.sparkContext().hadoopConfiguration());
    PrepareJob.run(spark, cfg);
    RoundDriver driver = new RoundDriver(spark, cfg,
        new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(), PeftExport.standard()));
    if (slow != null) System.setProperty(SystemPropertyFaults.CLIENT_FAULT, slow);
    try {
      return driver.runIfNext(round).orElseThrow();
    } finally {
      System.clearProperty(SystemPropertyFaults.CLIENT_FAULT);
    }
  }

  /** Runs round {@code round} through the command line (which stops the session at its end): its exit code. */
  private int roundCommand(Path data, int round, String slow, String... more) {
    List<String> a = new ArrayList<>(List.of("round", "--round", String.valueOf(round)));
    for (String s : settings(data, more)) {
      a.add("--set");
      a.add(s);
    }
    LocalSpark.get();
    System.setProperty(SystemPropertyFaults.CLIENT_FAULT, slow);
    try {
      return FeditCli.run(a.toArray(String[]::new));
    } finally {
      System.clearProperty(SystemPropertyFaults.CLIENT_FAULT);
    }
  }

  private static Map<String, ClientMetricsRow> rows(CheckpointStore store, int round) throws Exception {
    Map<String, ClientMetricsRow> out = new TreeMap<>();
    for (ClientMetricsRow r : store.readClientMetrics(round)) out.put(r.clientId(), r);
    return out;
  }

  private static List<String> withStatus(Map<String, ClientMetricsRow> rows, String status) {
    return rows.values().stream().filter(r -> r.status().equals(status)).map(ClientMetricsRow::clientId).toList();
  }

  @Test
  void lateClientsAreLeftOutTheFirstFinishersAreKeptAndTooFewForTheQuorumCommitNothing() throws Exception {
    Path data = TenantData.write(dir.resolve("tenants.jsonl"), 8, TENANTS, null, null);
    Path run = dir.resolve("runs/dolly-fedit");
    SparkContext sc = LocalSpark.get().sparkContext();
    assertEquals(1, round(data, 1, null).late());
    CheckpointStore store = CheckpointStore.forReading(run.toString(), new Configuration());
    Map<String, ClientMetricsRow> r1 = rows(store, 1);
    assertEquals(TENANTS.stream().sorted().toList(), List.copyOf(r1.keySet()), "over-selection draws all four");
    assertEquals(3, withStatus(r1, "accepted").size(), "exactly the planned number is kept: " + r1);
    assertEquals(1, withStatus(r1, "late").size());
    assertEquals(3, store.readRoundMetrics().get(0).clientsAccepted());

    round(data, 2, "slow:delta");
    Map<String, ClientMetricsRow> r2 = rows(store, 2);
    assertEquals(List.of("alpha", "beta", "gamma"), withStatus(r2, "accepted"));
    assertEquals(List.of("delta"), withStatus(r2, "late"));
    assertTrue(r2.get("delta").reason().startsWith("late: over-selected"), r2.get("delta").reason());
    RoundManifest m2 = store.loadManifest(2);
    assertEquals(List.of("alpha", "beta", "gamma"), m2.clients().get("accepted"));
    assertEquals(List.of("delta"), m2.clients().get("late"));
    // The global adapter is the example-weighted mean of exactly the kept updates.
    Map<String, AdapterWeights> kept = store.loadClientUpdates(2);
    assertEquals(List.of("alpha", "beta", "gamma"), List.copyOf(new TreeMap<>(kept).keySet()));
    AdapterWeights global = store.loadAdapter(2);
    double total = 0;
    for (String id : kept.keySet()) total += r2.get(id).examples();
    for (var e : global.tensors().entrySet()) {
      float[] got = e.getValue().values();
      for (int i = 0; i < got.length; i += 17) {
        double sum = 0;
        for (String id : kept.keySet()) sum += r2.get(id).examples() * (double) kept.get(id).get(e.getKey()).values()[i];
        assertEquals((float) (sum / total), got[i], 1e-7f * Math.max(1f, Math.abs(got[i])), e.getKey() + "[" + i + "]");
      }
    }
    // delta's task slept for 60 s; the round cancelled it, so it is gone long before that.
    assertTrue(noTaskRunningWithin(sc, 10_000), "the cancelled straggler still occupies a task slot");

    assertEquals(2, round(data, 3, "slow:gamma,slow:delta", "federation.round_deadline=10s").late());
    Map<String, ClientMetricsRow> r3 = rows(store, 3);
    assertEquals(List.of("alpha", "beta"), withStatus(r3, "accepted"));
    assertEquals(List.of("delta", "gamma"), withStatus(r3, "late"));
    assertTrue(r3.get("gamma").reason().contains("round_deadline 10s"), r3.get("gamma").reason());
    assertEquals(List.of("delta", "gamma"), store.loadManifest(3).clients().get("late"));
    assertTrue(noTaskRunningWithin(sc, 10_000), "the stragglers still occupy task slots");

    assertEquals(ExitCodes.ROUND_FAILED,
        roundCommand(data, 4, "slow:beta,slow:gamma,slow:delta", "federation.round_deadline=2s"));
    assertFalse(Files.exists(run.resolve("rounds/round-00004")), "nothing of round 4 committed");
    assertFalse(Files.exists(run.resolve("metrics/client_metrics/round-00004.parquet")));
    assertEquals(List.of(1, 2, 3), store.committedRounds());
    assertEquals(3, store.readRoundMetrics().size());
  }

  /** Whether every executor (in local mode: the driver) reports no running task within {@code millis}. */
  private static boolean noTaskRunningWithin(SparkContext sc, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      int running = 0;
      for (SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) running += e.numRunningTasks();
      if (running == 0) return true;
      Thread.sleep(100);
    }
    return false;
  }
}
