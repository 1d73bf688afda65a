package io.fedit.round;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.RoundCheckpoint;
import io.fedit.checkpoint.RoundManifest;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.federation.AggregationResult;
import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import io.fedit.federation.RoundPlan;
import io.fedit.federation.Strategies;
import io.fedit.federation.Strategy;
import io.fedit.federation.UpdateValidator;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.ModelWeights;
import io.fedit.prepare.ClientTable;
import io.fedit.prepare.PrepareJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs federated rounds as Spark jobs. For round r: sample clients (a pure function of seed and r),
 * broadcast the global adapter, train one task per sampled client, validate and aggregate the updates
 * on the driver, commit round r atomically. Round r+1 always starts from what round r committed, so a
 * crash at any point is resumed by running again: committed rounds are never redone or changed, a
 * partial one is invisible and redone.
 */
public final class RoundDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RoundDriver.class);

  private final SparkSession spark;
  private final RunConfig cfg;
  private final CheckpointStore store;
  private final Strategy strategy;
  private final List<String> population;
  private final Map<String, String> clientDirs;
  private final Map<String, String> inputHashes;
  private final String dataDir;

  /**
   * Opens a run whose data is prepared ({@link PrepareJob}): checks that committed rounds were made with
   * the same settings and inputs, and restores the strategy's state.
   */
  public RoundDriver(SparkSession spark, RunConfig cfg, CheckpointStore store) {
    this.spark = spark;
    // Only fully qualified paths are shipped to executors and saved in manifests (issue 11 §1).
    this.cfg = io.fedit.fs.QualifiedPaths.of(cfg, spark.sparkContext().hadoopConfiguration());
    this.store = store;
    this.strategy = Strategies.fromConfig(cfg);
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    this.dataDir = PrepareJob.dataDir(cfg);
    this.inputHashes = InputHashes.of(cfg.model().path(), dataDir, hconf);
    this.clientDirs = ClientTable.directories(dataDir, hconf);
    this.population = clientDirs.keySet().stream().sorted().toList();
    try {
      OptionalInt last = store.lastCommittedRound();
      if (last.isPresent()) {
        checkSameRun(store.loadManifest(last.getAsInt()));
        strategy.restoreState(store.loadStrategyState(last.getAsInt()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many clients train at once: the job's task slots (executor cores / spark.task.cpus). */
  public int taskSlots() {
    int cpusPerTask = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    return Math.max(1, spark.sparkContext().defaultParallelism() / cpusPerTask);
  }

  /** Clients sampled per round. */
  public int clientsPerRound() {
    return new io.fedit.federation.ClientSampler(cfg.run().seed(), cfg.federation().clientFraction(),
        cfg.federation().minClients()).sampleSize(population.size());
  }

  /** The last committed round, 0 when none. */
  public int committedRounds() {
    try {
      return store.lastCommittedRound().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs rounds until {@code target} are committed; returns the reports of the rounds it ran. */
  public List<RoundReport> runUntil(int target, java.util.function.Consumer<RoundReport> onRound) {
    List<RoundReport> out = new ArrayList<>();
    for (int r = committedRounds() + 1; r <= target; r++) {
      RoundReport rep = runRound(r);
      onRound.accept(rep);
      out.add(rep);
    }
    return out;
  }

  /**
   * Runs round {@code round} if it is the next one; an already committed round is left as it is
   * (returns empty). A round whose predecessor is not committed is refused.
   */
  public java.util.Optional<RoundReport> runIfNext(int round) {
    int last = committedRounds();
    if (round <= last) return java.util.Optional.empty();
    if (round != last + 1) {
      throw new RoundNotReadyException("round " + round + " cannot run: the last committed round of "
          + cfg.runDir() + " is " + last + " (run round " + (last + 1) + " first)");
    }
    return java.util.Optional.of(runRound(round));
  }

  public CheckpointStore store() {
    return store;
  }

  /** The adapter that round {@code r} starts from: round r-1's commit, or the fresh adapter for r = 1. */
  AdapterWeights startingAdapter(int round) throws IOException {
    if (round == 1) {
      var config = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(cfg.model().path()),
          spark.sparkContext().hadoopConfiguration());
      return AdapterFactory.create(config, cfg.lora(), cfg.run().seed());
    }
    return store.loadAdapter(round - 1);
  }

  RoundReport runRound(int round) {
    long t0 = System.nanoTime();
    try {
      AdapterWeights global = startingAdapter(round);
      RoundPlan plan = strategy.configureRound(round, population);
      LOG.info("round {}: training {} clients {}", round, plan.clientIds().size(), plan.clientIds());

      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      jsc.setJobGroup("fedit-round-" + round, "fedit " + cfg.run().name() + " round " + round + ": train "
          + plan.clientIds().size() + " clients", false);
      Broadcast<AdapterWeights> shipped = jsc.broadcast(global);
      Broadcast<HadoopConfCopy> hadoopConf = jsc.broadcast(HadoopConfCopy.of(spark.sparkContext().hadoopConfiguration()));
      List<ClientOutcome> outcomes;
      try {
        // One partition per sampled client, placed near its rows; each task reads its client's rows itself.
        Map<String, String> dirs = new java.util.HashMap<>();
        for (String id : plan.clientIds()) dirs.put(id, clientDirs.get(id));
        var placement = ClientPlacement.preferences(plan.clientIds(), dirs, spark.sparkContext().hadoopConfiguration());
        outcomes = ClientPlacement.rdd(spark.sparkContext(), placement)
            .mapPartitions(new ClientTask(cfg, inputHashes.get("base_model"), plan, dirs, shipped, hadoopConf))
            .collect();
      } finally {
        jsc.clearJobGroup();
        shipped.destroy();
        hadoopConf.destroy();
      }
      long tTrained = System.nanoTime();

      // Aggregation sees updates in client order, so float sums do not depend on task timing.
      List<ClientUpdate> updates = new ArrayList<>();
      List<ClientFailure> failures = new ArrayList<>();
      for (ClientOutcome o : outcomes) {
        String id = o.update() != null ? o.update().clientId() : o.failure().clientId();
        LOG.info("round {}: client {} trained on {}{}", round, id, o.device(), o.update() != null ? "" : " and failed");
        if (o.update() != null) updates.add(o.update());
        else failures.add(o.failure());
      }
      updates.sort(Comparator.comparing(ClientUpdate::clientId));
      failures.sort(Comparator.comparing(ClientFailure::clientId));
      long slowest = updates.stream().mapToLong(u -> u.metrics().wallMillis()).max().orElse(0);

      UpdateValidator.Result verdicts = new UpdateValidator().validateAll(round, global, updates);
      List<ClientFailure> unusable = new ArrayList<>(failures);
      unusable.addAll(verdicts.rejectedAsFailures());
      if (verdicts.accepted().isEmpty()) {
        throw new RoundFailedException("round " + round + ": no client produced a usable update, nothing committed: "
            + unusable.stream().map(f -> f.clientId() + ": " + f.reason()).toList());
      }
      AggregationResult agg = strategy.aggregate(round, global, verdicts.accepted(), unusable);
      long tAggregated = System.nanoTime();

      long wallMs = (tAggregated - t0) / 1_000_000;
      long trainingPhase = (tTrained - t0) / 1_000_000;
      RoundMetricsRow metrics = RoundMetricsRow.of(round, plan.clientIds().size(), verdicts.accepted(), wallMs,
          Math.max(0, trainingPhase - slowest), slowest, (tAggregated - tTrained) / 1_000_000);
      RoundCheckpoint cp = new RoundCheckpoint(round, cfg.run().name(), strategy.name(), agg.global(), cfg.lora(),
          cfg.model().path(), ConfigLoader.toYaml(cfg), inputHashes, ClientMetricsRow.of(verdicts, failures), metrics,
          cfg.checkpoint().keepClientUpdates() ? RoundCheckpoint.adaptersById(verdicts.accepted()) : Map.of(),
          strategy.state());
      if (!store.commit(cp)) {
        throw new IllegalStateException("round " + round + " was committed by another writer meanwhile");
      }
      RoundMetricsRow committed = store.readRoundMetrics().stream().filter(m -> m.round() == round).findFirst()
          .orElse(metrics);
      return new RoundReport(committed, failures.size(), verdicts.rejected().size(), store.roundDir(round).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("round " + round + ": " + e.getMessage(), e);
    }
  }

  /** Committed rounds of this run must have been made with these settings and inputs. */
  private void checkSameRun(RoundManifest last) {
    // Paths as the earlier run saw them, qualified the same way (runs saved before paths were qualified).
    RunConfig before = io.fedit.fs.QualifiedPaths.of(ConfigLoader.fromYaml(last.configYaml()),
        spark.sparkContext().hadoopConfiguration());
    List<String> differs = new ArrayList<>();
    if (before.run().seed() != cfg.run().seed()) differs.add("run.seed");
    if (!before.model().equals(cfg.model())) differs.add("model");
    if (!before.data().equals(cfg.data())) differs.add("data");
    if (!before.partition().equals(cfg.partition())) differs.add("partition");
    if (!before.lora().equals(cfg.lora())) differs.add("lora");
    if (!before.train().equals(cfg.train())) differs.add("train");
    if (before.federation().clientFraction() != cfg.federation().clientFraction()
        || before.federation().minClients() != cfg.federation().minClients()
        || !before.federation().strategy().equals(cfg.federation().strategy())) {
      differs.add("federation (other than rounds)");
    }
    for (var e : inputHashes.entrySet()) {
      String was = last.inputHashes().get(e.getKey());
      if (was != null && !was.equals(e.getValue())) differs.add("the " + e.getKey() + " files (content changed)");
    }
    if (!differs.isEmpty()) {
      throw new io.fedit.config.ConfigException("run " + cfg.runDir() + " has committed rounds made with other "
          + String.join(", ", differs) + "; continue it with its saved settings or start a new run.name");
    }
  }
}
