package io.fedit.experiment;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.RunConfig;
import io.fedit.eval.EvalSet;
import io.fedit.eval.EvalSets;
import io.fedit.eval.Evaluator;
import io.fedit.layout.RunLayout;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.ModelWeights;
import io.fedit.prepare.ClientTable;
import io.fedit.prepare.PrepareJob;
import io.fedit.round.InputHashes;
import io.fedit.round.RoundDriver;
import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The four arms for one seed. (1) FedIT: the configured federated run with run.seed = seed, in its own run
 * directory (prepared data with the held-out splits, committed rounds; a rerun resumes it). (2) Solo arms, in one
 * Spark job, one task per model: the local-only clients (a seeded sample of the run's clients, each on its own
 * rows with the matched budget) and the centralized model (every client's rows as one client, as many training
 * tokens as the federated run processed). All start from the adapter the federated run started from. (3) base,
 * FedIT's last round and every solo model evaluated identically on the same splits.
 */
final class SeedExperiment {
  static final long LOCAL_SAMPLE = 0x4c4f43414c53414dL; // "LOCALSAM"
  static final long SOLO_TRAINING = 0x534f4c4f5452414eL; // "SOLOTRAN"

  private final SparkSession spark;
  private final RunConfig cfg;
  private final long seed;
  private final PrintStream out;

  SeedExperiment(SparkSession spark, RunConfig cfg, long seed, PrintStream out) {
    this.spark = spark;
    this.cfg = cfg;
    this.seed = seed;
    this.out = out;
  }

  /** The seed's rows of experiment/results and of experiment/record_scores. */
  record Outcome(List<ExperimentRow> rows, List<RecordScoresTable.Row> recordScores) {}

  Outcome run() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunConfig fc = ArmConfigs.fedit(cfg, seed);
    int rounds = io.fedit.federation.plan.RoundRules.of(fc).rounds();

    // (1) FedIT.
    out.println(PrepareJob.run(spark, fc).describe());
    CheckpointStore store = new CheckpointStore(fc.runDir(), conf, PeftExport.standard());
    RoundDriver driver = new RoundDriver(spark, fc, store);
    driver.runUntil(rounds, r -> out.println("fedit seed " + seed + " " + r.line(rounds)));
    AdapterWeights fedit = store.loadAdapter(rounds);
    long fedTokens = 0;
    Map<String, Integer> sampled = new HashMap<>();
    for (int r = 1; r <= rounds; r++) {
      for (ClientMetricsRow m : store.readClientMetrics(r)) {
        if (!m.status().equals("accepted")) continue;
        fedTokens += m.tokens();
        sampled.merge(m.clientId(), 1, Integer::sum);
      }
    }

    // (2) Solo arms.
    Map<String, String> dirs = ClientTable.directories(PrepareJob.dataDir(fc), conf);
    List<String> population = dirs.keySet().stream().sorted().toList();
    List<String> members = sample(population, fc.experiment().localOnlyClients(), seed);
    List<SoloSpec> specs = new ArrayList<>();
    specs.add(new SoloSpec(ExperimentRow.CENTRALIZED, "", population.stream().map(dirs::get).toList(), fc, fedTokens,
        Seeds.of(SOLO_TRAINING, seed, 0, "centralized")));
    for (String m : members) {
      int times = fc.experiment().localBudget().equals("rounds") ? rounds : Math.max(1, sampled.getOrDefault(m, 0));
      specs.add(new SoloSpec(ExperimentRow.LOCAL_ONLY, m, List.of(dirs.get(m)), ArmConfigs.timesLocalBudget(fc, times), 0,
          Seeds.of(SOLO_TRAINING, seed, 0, m)));
    }
    String modelHash = InputHashes.model(fc.model().path(), conf);
    AdapterWeights start = AdapterFactory.create(ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(fc.model().path()), conf),
        fc.lora(), fc.run().seed()); // what the federated run's round 1 started from
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobGroup("fedit-experiment-solo-" + seed, "fedit experiment seed " + seed + ": centralized + "
        + members.size() + " local-only models", false);
    Broadcast<AdapterWeights> shipped = jsc.broadcast(start);
    Broadcast<io.fedit.fs.HadoopConfCopy> hadoopConf =
        jsc.broadcast(io.fedit.fs.HadoopConfCopy.of(spark.sparkContext().hadoopConfiguration()));
    out.println(String.format(Locale.ROOT, "seed %d: training centralized (%,d tokens) and %d local-only models, "
        + "one Spark task each", seed, fedTokens, members.size()));
    List<SoloTask.Outcome> solos;
    try {
      solos = jsc.parallelize(specs, specs.size()).mapPartitions(new SoloTask(modelHash, shipped, hadoopConf)).collect();
    } finally {
      jsc.clearJobGroup();
      shipped.destroy();
      hadoopConf.destroy();
    }
    for (SoloTask.Outcome o : solos) {
      out.println(String.format(Locale.ROOT, "seed %d %-11s %-12s %,d training tokens in %d steps (FedIT: %,d tokens)",
          seed, o.spec().arm(), o.spec().member(), o.result().metrics().tokens(), o.result().metrics().steps(), fedTokens));
    }

    // (3) Evaluation, identical for every arm.
    List<EvalSet> sets = EvalSets.configured(spark, fc).stream().filter(EvalSet::scored).toList();
    ArmEvaluation eval = new ArmEvaluation(new Evaluator(spark, fc, modelHash), sets, fc.eval().split(),
        fc.eval().maxNewTokens(), fc.experiment().bootstrapSamples(), seed);
    double scaling = fc.lora().scaling();
    List<ExperimentRow> rows = new ArrayList<>(eval.rows(ExperimentRow.BASE, "", null, 1.0, 0, RunLayout.adapterName(0)));
    rows.addAll(eval.rows(ExperimentRow.FEDIT, "", fedit, scaling, rounds, RunLayout.experimentArmRunName(seed)));
    for (SoloTask.Outcome o : solos) {
      String label = o.spec().label() + "-seed-" + seed;
      rows.addAll(eval.rows(o.spec().arm(), o.spec().member(), o.result().adapter(), scaling, rounds, label));
    }
    // Paired comparisons (same resampled records for every arm), printed: the evidence for the targets.
    List<RecordScoresTable.Row> scores = eval.recordScores();
    for (Comparisons.Row c : Comparisons.compute(Map.of(seed, scores), fc.experiment().bootstrapSamples())) {
      if (c.category().equals(io.fedit.eval.EvalMetricsRow.ALL)) {
        out.println("seed " + seed + " " + c.split() + ": " + c.result().describe());
      }
    }
    return new Outcome(rows, scores);
  }

  /** {@code k} clients (all when fewer) drawn without replacement by the seed, in id order. */
  static List<String> sample(List<String> sortedIds, int k, long seed) {
    String[] ids = sortedIds.toArray(String[]::new);
    int take = Math.min(k, ids.length);
    Shuffles.shuffleFront(ids, take, Seeds.stream(Seeds.of(LOCAL_SAMPLE, seed, 0)));
    List<String> out = new ArrayList<>(List.of(ids).subList(0, take));
    out.sort(null);
    return out;
  }
}
