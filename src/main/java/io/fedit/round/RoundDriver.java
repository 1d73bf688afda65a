package io.fedit.round;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.RoundCheckpoint;
import io.fedit.checkpoint.RoundMetricsRow;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.federation.aggregation.AggregationResult;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.plan.RoundRules;
import io.fedit.federation.strategy.Strategies;
import io.fedit.federation.strategy.Strategy;
import io.fedit.federation.validation.UpdateValidator;
import io.fedit.federation.attack.AttackSimulation;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.ModelWeights;
import io.fedit.prepare.ClientTable;
import io.fedit.prepare.PrepareJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
 * broadcast the global adapter, train one task per sampled client (which validates its update and writes it
 * into the round's staging directory), decide on the verdicts, aggregate with a second Spark job over
 * coordinate blocks of the staged updates ({@link SparkUpdateSet}: the driver never holds more than one
 * adapter-sized result), commit round r atomically (the commit takes in the staged client files). Round r+1 always starts from what round r committed, so a
 * crash at any point is resumed by running again: committed rounds are never redone or changed, a
 * partial one is invisible and redone.
 */
public final class RoundDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RoundDriver.class);

  private final SparkSession spark;
  private final RunConfig cfg;
  private final CheckpointStore store;
  private final Strategy strategy;
  private final RoundRules rules;
  private final List<String> population;
  private final Map<String, String> clientDirs;
  private final Map<String, String> inputHashes;
  private final String dataDir;
  private final RoundEvaluation evaluation;

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
    this.rules = RoundRules.of(cfg);
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    this.dataDir = PrepareJob.dataDir(cfg);
    this.inputHashes = InputHashes.of(cfg.model().path(), dataDir, hconf);
    this.clientDirs = ClientTable.directories(dataDir, hconf);
    this.population = clientDirs.keySet().stream().sorted().toList();
    this.evaluation = new RoundEvaluation(spark, cfg, store, inputHashes.get("base_model"));
    if (cfg.privacy().enabled()) new PrivacyBudget(cfg.privacy()).checkDelta(population.size());
    try {
      OptionalInt last = store.lastCommittedRound();
      if (last.isPresent()) {
        SameRunCheck.check(this.cfg, store.loadManifest(last.getAsInt()), inputHashes,
            spark.sparkContext().hadoopConfiguration());
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

  /** The round the run trains up to (federation.rounds). */
  public int plannedRounds() {
    return rules.rounds();
  }

  /** Clients sampled per round. */
  public int clientsPerRound() {
    return strategy.clientsPerRound(population.size());
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

  /**
   * Evaluates the base model once per run (round 0 of the eval tables) when evaluation is on and it is not
   * written yet; returns its overall row then. Rounds call it too, so it never needs calling first.
   */
  public java.util.Optional<EvalMetricsRow> evaluateBaseIfNeeded() {
    return evaluation.baseIfNeeded();
  }

  /** Held-out loss of the base model and each evaluated committed round (eval.split, "ALL" rows), by round. */
  public List<EvalMetricsRow> heldOutCurve() {
    try {
      return RoundEvaluation.curve(store, cfg.eval().split());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /**
   * One round, in named steps: plan (sample, privacy admission) → train the clients under the deadline →
   * sort and validate their outcomes → check the quorum → aggregate → evaluate and commit.
   */
  RoundReport runRound(int round) {
    evaluation.baseIfNeeded();
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String staging = null;
    Broadcast<HadoopConfCopy> hadoopConf = jsc.broadcast(HadoopConfCopy.of(spark.sparkContext().hadoopConfiguration()));
    try {
      AdapterWeights global = startingAdapter(round);
      RoundPlan plan = strategy.configureRound(round, population);
      Privacy privacy = admitPrivacy(round, plan);
      LOG.info("round {}: training {} clients {}", round, plan.clientIds().size(), plan.clientIds());
      staging = store.newStagingDir(round);
      RoundTrainingJob.Gathered gathered = trainClients(round, plan, global, staging, hadoopConf);
      long tTrained = System.nanoTime();

      // The executors validated their updates and kept the tensors; the driver decides on the verdicts alone.
      RoundOutcomes out = RoundOutcomes.of(round, gathered);
      UpdateValidator.Result verdicts = out.verdicts();
      RoundQuorum.require(rules.quorum(), round, verdicts, out.failures(), gathered.late());
      AggregationResult agg;
      try (SparkUpdateSet set = out.acceptedSet(jsc, verdicts.accepted(), hadoopConf,
          rules.aggregationBlockValues(), "fedit " + cfg.run().name() + " round " + round)) {
        agg = strategy.aggregate(round, global, set,
            RoundQuorum.unusable(clientsPerRound(), verdicts, out.failures(), gathered.late()));
      }
      long tAggregated = System.nanoTime();

      long slowest = out.updates().stream().mapToLong(u -> u.metrics().wallMillis()).max().orElse(0);
      long trainingPhase = (tTrained - t0) / 1_000_000;
      RoundMetricsRow metrics = RoundMetricsRow.of(round, plan.clientIds().size(), verdicts.accepted(),
          (tAggregated - t0) / 1_000_000, Math.max(0, trainingPhase - slowest), slowest,
          (tAggregated - tTrained) / 1_000_000);
      return commit(round, plan, agg, verdicts, out, gathered.late(), metrics, privacy);
    } catch (IOException e) {
      throw new UncheckedIOException("round " + round + ": " + e.getMessage(), e);
    } finally {
      hadoopConf.destroy();
      discard(staging);
    }
  }

  /** Removes the round's staging directory (committed files were moved out of it; the rest is not needed). */
  private void discard(String staging) {
    if (staging == null) return;
    try {
      store.discardStagingDir(staging);
    } catch (IOException | RuntimeException e) {
      // Harmless: the directory is hidden, and the next writer to open the run removes it.
      LOG.warn("could not remove the staging directory {}: {}", staging, e.toString());
    }
  }

  /** The round's DP admission: the sampling rate q and the epsilon after this round; budget null without DP. */
  private record Privacy(PrivacyBudget budget, double q, double epsilon) {
    io.fedit.checkpoint.PrivacyLedgerRow row(int round, int sampled, List<ClientUpdate> accepted) {
      return budget == null ? null : budget.row(round, q, epsilon, sampled, accepted);
    }
  }

  private Privacy admitPrivacy(int round, RoundPlan plan) throws IOException {
    double q = plan.clientIds().size() / (double) population.size();
    if (!cfg.privacy().enabled()) return new Privacy(null, q, Double.NaN);
    PrivacyBudget budget = new PrivacyBudget(cfg.privacy());
    return new Privacy(budget, q, budget.admit(round, store.readPrivacyLedger(), q));
  }

  /**
   * Trains the sampled clients, one Spark task each (each task reads its client's rows itself), and gathers
   * their outcomes until all reported, the planned number of usable updates arrived, or the deadline.
   */
  private RoundTrainingJob.Gathered trainClients(int round, RoundPlan plan, AdapterWeights global, String staging,
      Broadcast<HadoopConfCopy> hadoopConf) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String group = "fedit-round-" + round;
    // Interrupt on cancel: a round that stops waiting (deadline, over-selection) frees its executors.
    jsc.setJobGroup(group, "fedit " + cfg.run().name() + " round " + round + ": train "
        + plan.clientIds().size() + " clients", true);
    Broadcast<AdapterWeights> shipped = jsc.broadcast(global);
    AdapterWeights control = strategy.controlVariate(global);
    Broadcast<AdapterWeights> shippedControl = control == null ? null : jsc.broadcast(control);
    try {
      ClientRecipe recipe = new ClientRecipe(shippedControl,
          control == null ? Map.of() : store.latestClientStates(plan.clientIds()));
      Map<String, String> dirs = new java.util.HashMap<>();
      for (String id : plan.clientIds()) dirs.put(id, clientDirs.get(id));
      // One partition per sampled client, placed near its rows; each task reads its client's rows itself.
      var placement = ClientPlacement.preferences(plan.clientIds(), dirs, spark.sparkContext().hadoopConfiguration());
      java.util.Set<String> attackers = AttackSimulation.attackers(cfg.attack(), cfg.run().seed(), round, plan.clientIds());
      if (!attackers.isEmpty()) {
        LOG.warn("EXPERIMENT: attack simulation is ON (attack.*): clients {} of round {} send their delta x {}",
            attackers, round, cfg.attack().scale());
      }
      var rdd = ClientPlacement.rdd(spark.sparkContext(), placement)
          .mapPartitions(new ClientTask(cfg, inputHashes.get("base_model"), plan, dirs, shipped, recipe, hadoopConf,
              staging, attackers));
      return RoundTrainingJob.run(jsc, group, rdd, round, plan.clientIds(), clientsPerRound(),
          rules.roundDeadline(), o -> o.update() != null && o.staged().accepted());
    } finally {
      jsc.clearJobGroup();
      shipped.destroy();
      if (shippedControl != null) shippedControl.destroy();
    }
  }

  /** Evaluates the new global adapter and commits the round with it; the report of the committed round. */
  private RoundReport commit(int round, RoundPlan plan, AggregationResult agg, UpdateValidator.Result verdicts,
      RoundOutcomes out, List<ClientFailure> late, RoundMetricsRow metrics, Privacy privacy)
      throws IOException {
    List<ClientFailure> failures = out.failures();
    // Held-out evaluation of the new global adapter, committed with the round (not part of its wall time).
    EvalResult eval = evaluation.ofRound(round, agg.global());
    List<ClientUpdate> accepted = verdicts.accepted();
    List<ClientMetricsRow> clientRows = ClientMetricsRow.of(verdicts, failures, late);
    if (cfg.privacy().redactsClientMetrics()) clientRows = clientRows.stream().map(ClientMetricsRow::redacted).toList();
    RoundCheckpoint cp = RoundCheckpoint.builder(round).runName(cfg.run().name()).strategy(strategy.name())
        .global(agg.global()).lora(cfg.lora()).baseModelNameOrPath(cfg.model().path())
        .configYaml(ConfigLoader.toYaml(cfg)).inputHashes(inputHashes).clientMetrics(clientRows).roundMetrics(metrics)
        .strategyState(strategy.state()).privacyLedger(privacy.row(round, plan.clientIds().size(), accepted))
        .eval(eval).staged(out.commitFiles(accepted)).build();
    if (!store.commit(cp)) {
      throw new IllegalStateException("round " + round + " was committed by another writer meanwhile");
    }
    if (cp.privacyLedger() != null) {
      var l = cp.privacyLedger();
      LOG.info("round {}: privacy spent epsilon {} at delta {} (q {}, sigma {}), {} of {} accepted clients clipped to {}",
          round, String.format(java.util.Locale.ROOT, "%.4f", l.epsilonSpent()), l.delta(), l.q(),
          l.noiseMultiplier(), l.clientsClipped(), l.clientsAccepted(), l.clipNorm());
    }
    RoundMetricsRow committed = store.readRoundMetrics().stream().filter(m -> m.round() == round).findFirst()
        .orElse(metrics);
    return new RoundReport(committed, failures.size(), verdicts.rejected().size(), late.size(),
        store.roundDir(round).toString(), eval.overall(cfg.eval().split()).orElse(null));
  }

}
