package io.fedit.round;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterWeights;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every strategy end to end on local[2] (two tiny rounds each; fedadam and scaffold through the resume test), and
 * bit-identical resume with server and client state.
 */
@Tag("slow") // full federated runs per strategy; jobs/test --fast leaves it out
class StrategyRunTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  /** One optimizer step per client, 2 of 10 clients per round (5 for the resume tests): seconds per round. */
  private static RunConfig config(String out, String... more) throws IOException {
    List<String> o = new ArrayList<>(List.of("train.max_steps=1", "federation.client_fraction=0.2",
        "federation.server_lr=0.5"));
    o.addAll(List.of(more));
    return SmallRun.config(SmallRun.sampleData(shared).toString(), out, o.toArray(String[]::new));
  }

  /**
   * Prepared data depends on data, partition and seed only, not on the strategy: it is prepared once into a
   * template run and copied into each run directory, where PrepareJob finds and reuses it.
   */
  private static synchronized void copyPreparedData(RunConfig cfg) throws IOException {
    Path template = shared.resolve("template");
    RunConfig t = SmallRun.config(SmallRun.sampleData(shared).toString(), template.toString());
    if (!Files.exists(Path.of(PrepareJob.dataDir(t)))) PrepareJob.run(LocalSpark.get(), t);
    Path from = Path.of(PrepareJob.dataDir(t)), to = Path.of(PrepareJob.dataDir(cfg));
    if (Files.exists(to)) return;
    try (var files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  private static RoundDriver open(RunConfig cfg, PeftExport peft) throws IOException {
    SparkSession spark = LocalSpark.get();
    copyPreparedData(cfg);
    PrepareJob.run(spark, cfg);
    return new RoundDriver(spark, cfg, new CheckpointStore(cfg.runDir(), spark.sparkContext().hadoopConfiguration(), peft));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedavgm", "fedyogi", "fedadagrad", "fedprox", "ffa_lora"}) // fedadam, scaffold: below
  void eachStrategyRunsTwoRoundsAndCommitsItsState(String strategy) throws Exception {
    boolean ffa = strategy.equals("ffa_lora");
    RunConfig cfg = config(dir.toString(), ffa ? "federation.ffa_lora=true" : "federation.strategy=" + strategy,
        "federation.prox_mu=0.1");
    RoundDriver driver = open(cfg, PeftExport.standard());
    assertEquals(2, driver.runUntil(2, r -> { }).size());
    CheckpointStore store = driver.store();
    AdapterWeights start = driver.startingAdapter(1);
    AdapterWeights end = store.loadAdapter(2);
    assertTrue(end.distanceTo(start) > 0, "the adapter moved");
    assertEquals(ffa ? "fedavg" : strategy, store.loadManifest(2).strategy());
    checkCommittedState(strategy, store, start);
    if (ffa) {
      for (var e : start.tensors().entrySet()) {
        boolean isA = e.getKey().contains("lora_A");
        assertEquals(isA, java.util.Arrays.equals(e.getValue().values(), end.get(e.getKey()).values()),
            e.getKey() + (isA ? " stays at its initial value bit for bit" : " is trained"));
      }
    }
  }

  /**
   * Each aggregation rule end to end (one round, 3 clients, one of them attacking with its delta x −10, as
   * attack.* simulates it): the attacker's recorded update norm is the largest, and every robust rule moves the
   * global adapter less than the plain mean does under the same attack.
   */
  @Test
  void robustRulesUnderAttackMoveTheAdapterLessThanTheMean() throws Exception {
    Map<String, Double> moved = new java.util.LinkedHashMap<>();
    for (String rule : List.of("mean", "median", "trimmed_mean", "norm_bounded", "krum")) {
      RunConfig cfg = config(dir.resolve(rule).toString(), "federation.aggregation=" + rule,
          "federation.client_fraction=0.3", "federation.trim_beta=0.34", "federation.norm_bound=0.001",
          "attack.malicious_clients_per_round=1", "attack.scale=-10", "federation.aggregation_block_values=5000");
      RoundDriver driver = open(cfg, PeftExport.standard());
      driver.runUntil(1, r -> { });
      CheckpointStore store = driver.store();
      var rows = store.readClientMetrics(1);
      assertEquals(3, rows.stream().filter(m -> m.status().equals("accepted")).count());
      var attacker = io.fedit.federation.attack.AttackSimulation.attackers(cfg.attack(), cfg.run().seed(), 1,
          rows.stream().map(m -> m.clientId()).toList());
      var largest = rows.stream().max(java.util.Comparator.comparingDouble(m -> m.updateNorm())).orElseThrow();
      assertEquals(attacker, java.util.Set.of(largest.clientId()), "the attacker sends the longest delta");
      moved.put(rule, store.loadAdapter(1).distanceTo(driver.startingAdapter(1)));
    }
    for (String rule : List.of("median", "trimmed_mean", "norm_bounded", "krum")) {
      assertTrue(moved.get(rule) > 0 && moved.get(rule) < moved.get("mean"), rule + " vs mean: " + moved);
    }
  }

  /** The strategy state committed with round 2 has the strategy's names; SCAFFOLD's c_i sit in their rounds. */
  private static void checkCommittedState(String strategy, CheckpointStore store, AdapterWeights start) throws IOException {
    Map<String, AdapterWeights> state = store.loadStrategyState(2);
    switch (strategy) {
      case "fedavgm" -> assertEquals(java.util.Set.of("momentum"), state.keySet());
      case "fedadam", "fedyogi", "fedadagrad" -> assertEquals(java.util.Set.of("m", "v"), state.keySet());
      case "scaffold" -> {
        assertEquals(java.util.Set.of("control"), state.keySet());
        assertTrue(state.get("control").distanceTo(zeros(start)) > 0, "server variate moved");
        // Each accepted client's c_i is committed inside its round.
        for (int r = 1; r <= 2; r++) {
          var accepted = store.readClientMetrics(r).stream().filter(m -> m.status().equals("accepted")).toList();
          assertFalse(accepted.isEmpty());
          for (var m : accepted) {
            assertTrue(store.loadManifest(r).files().containsKey("client_state/" + m.clientId() + ".parquet"),
                "round " + r + " stores c_i of " + m.clientId());
          }
        }
      }
      default -> assertTrue(state.isEmpty(), strategy + " keeps no server state");
    }
  }

  private static AdapterWeights zeros(AdapterWeights like) {
    Map<String, AdapterWeights.Tensor> m = new java.util.LinkedHashMap<>();
    like.tensors().forEach((k, t) -> m.put(k, new AdapterWeights.Tensor(t.shape(), new float[t.values().length])));
    return new AdapterWeights(m);
  }

  /**
   * A run stopped after round 1 and crashed inside round 2's commit, then resumed, equals a straight run bit for
   * bit: adapters, server state and (scaffold) every client's committed c_i.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fedadam", "scaffold"})
  void resumeWithServerAndClientStateIsBitIdentical(String strategy) throws Exception {
    String[] settings = {"federation.strategy=" + strategy, "federation.client_fraction=0.3"};
    RunConfig straight = config(dir.resolve("straight").toString(), settings);
    open(straight, PeftExport.standard()).runUntil(2, r -> { });
    CheckpointStore expected = CheckpointStore.forReading(straight.runDir(), new org.apache.hadoop.conf.Configuration());

    RunConfig resumed = config(dir.resolve("resumed").toString(), settings);
    open(resumed, PeftExport.standard()).runUntil(1, r -> { });
    RoundDriver dying = open(resumed, new PeftExport((out, tensors, metadata) -> {
      throw new IOException("simulated crash in the middle of the commit");
    }));
    assertThrows(Exception.class, () -> dying.runUntil(2, r -> { }));
    RoundDriver restarted = open(resumed, PeftExport.standard());
    assertEquals(1, restarted.committedRounds());
    restarted.runUntil(2, r -> { });
    checkCommittedState(strategy, restarted.store(), restarted.startingAdapter(1));
    for (int r = 1; r <= 2; r++) {
      assertEquals(expected.loadAdapter(r), restarted.store().loadAdapter(r), "round " + r + " adapter");
      assertEquals(expected.loadStrategyState(r), restarted.store().loadStrategyState(r), "round " + r + " state");
    }
    if (strategy.equals("scaffold")) {
      // The test is only meaningful if some client of a later round read a c_i stored by an earlier one.
      var round1 = expected.readClientMetrics(1).stream().map(m -> m.clientId()).toList();
      var later = new ArrayList<String>();
      expected.readClientMetrics(2).forEach(m -> later.add(m.clientId()));
      assertTrue(later.stream().anyMatch(round1::contains), "a client trained twice: " + round1 + " / " + later);
      for (String id : later) {
        var a = expected.latestClientStates(List.of(id)).get(id);
        var b = restarted.store().latestClientStates(List.of(id)).get(id);
        assertEquals(a.sha256(), b.sha256(), "client " + id + "'s committed c_i");
      }
    }
  }
}
