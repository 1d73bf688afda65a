package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.CommittedPeft;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalResult;
import io.fedit.eval.EvalSets;
import io.fedit.eval.EvalTables;
import io.fedit.eval.Evaluator;
import io.fedit.fs.HadoopPaths;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.PeftAdapter;
import io.fedit.model.ModelWeights;
import io.fedit.round.InputHashes;
import io.fedit.spark.SparkSessions;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedit evaluate}: held-out evaluation of the base model (default), a committed round of the
 * configured run, or any PEFT adapter directory, on the configured eval splits. Prints the response loss
 * overall and per category and writes the rows into the run's eval tables as one file
 * {@code eval-<time>-<id>.parquet}, or under --output (see {@link #defaultOutput}; an adapter outside the run
 * without --output is only printed).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate the base model (default), a committed round (--round R) or a PEFT adapter directory "
        + "(--adapter DIR) on eval.path (and the Vicuna questions): response loss, all-token loss and perplexities "
        + "overall and per category, greedy answers with ROUGE-L.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  static final class Which {
    @Option(names = "--round", paramLabel = "R", description = "A committed round of the configured run")
    Integer round;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT directory (adapter_config.json, adapter_model.safetensors)")
    String adapter;
  }

  @ArgGroup(exclusive = true)
  Which which = new Which();

  @Option(names = "--no-generate", description = "Skip the greedy answers (loss only)")
  boolean noGenerate;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Where the rows go: DIR/metrics/eval_metrics and DIR/metrics/eval_generations. Default: the run "
          + "directory, or <run dir>/evaluations for the base model and for a round the run's tables already hold; "
          + "an --adapter outside the run is only printed")
  String output;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    SparkSession spark = SparkSessions.getOrCreate("fedit evaluate " + cfg.run().name());
    try {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      GpuRequest.requireSchedulable(cfg.model(), spark.sparkContext().getConf());
      AdapterWeights weights = null;
      double scaling = 1;
      int round = 0;
      String label = RunLayout.adapterName(0);
      if (which.round != null) {
        CheckpointStore store = CheckpointStore.forReading(cfg.runDir(), conf);
        round = which.round;
        BaseModelCheck.requireTrainedOn(store.loadManifest(round), cfg.model().path(), conf, round);
        weights = store.loadAdapter(round);
        // The round's own LoRA settings, from its manifest.
        scaling = ConfigLoader.fromYaml(store.loadManifest(round).configYaml()).lora().scaling();
        label = RunLayout.roundName(round);
      } else if (which.adapter != null) {
        CommittedPeft.verifyIfCommitted(new Path(which.adapter), conf);
        PeftAdapter peft = PeftAdapter.read(new Path(which.adapter), conf);
        peft.requireFits(ModelWeights.loadConfig(new Path(cfg.model().path()), conf), which.adapter);
        weights = peft.weights();
        scaling = peft.scaling();
        round = -1;
        label = which.adapter;
      }
      Evaluator evaluator = new Evaluator(spark, cfg, InputHashes.model(cfg.model().path(), conf));
      EvalResult result = evaluator.evaluate(EvalSets.configured(spark, cfg), weights, scaling, round, label,
          !noGenerate && cfg.eval().maxNewTokens() > 0);
      print(result, label, System.out);
      String dir = output != null ? output : defaultOutput(cfg.runDir(), round, which.adapter, conf);
      if (dir == null) {
        System.out.println("rows not stored: " + which.adapter + " is not inside run " + HadoopPaths.display(cfg.runDir())
            + "; pass --output DIR to keep them");
        return ExitCodes.OK;
      }
      String name = RunLayout.newEvaluationFileName();
      RunLayout tables = RunLayout.of(dir);
      EvalTables.publish(conf, tables, name, result);
      System.out.println("rows: " + HadoopPaths.display(new Path(tables.table(Table.EVAL_METRICS), name).toString())
          + " and " + HadoopPaths.display(new Path(tables.table(Table.EVAL_GENERATIONS), name).toString()));
      return ExitCodes.OK;
    } finally {
      spark.stop();
    }
  }

  /**
   * Where the rows go without --output, or null when they are only printed:
   * <ul>
   *   <li>a committed round R (R &gt; 0): the run's own tables ({@code <run dir>/metrics/eval_*}, beside what
   *       train/round committed), unless they already hold round R's evaluation: then
   *       {@code <run dir>/evaluations/metrics/eval_*}, so the run's tables never hold one round twice;
   *   <li>the base model (round 0): always {@code <run dir>/evaluations/}, because round 0 of the run's tables is
   *       the base evaluation train/round write themselves (before the first round it is not there yet; rows
   *       stored beside it now would be a second round 0 later);
   *   <li>an adapter directory inside the configured run (e.g. its {@code rounds/round-NNNNN/peft}): the run's
   *       own tables, as round -1; one outside it: nowhere (the configured run is unrelated to it).
   * </ul>
   */
  static String defaultOutput(String runDir, int round, String adapterDir, Configuration conf)
      throws java.io.IOException {
    RunLayout run = RunLayout.of(runDir);
    if (round < 0) return isInside(new Path(adapterDir), run.runDir(), conf) ? runDir : null;
    if (round == 0) return run.evaluationsDir().toString();
    Path committed = run.roundFile(Table.EVAL_METRICS, round);
    return committed.getFileSystem(conf).exists(committed) ? run.evaluationsDir().toString() : runDir;
  }

  /** Whether {@code path} is {@code dir} or below it, both qualified on their file systems (so "./runs" == "runs"). */
  private static boolean isInside(Path path, Path dir, Configuration conf) throws java.io.IOException {
    Path d = dir.getFileSystem(conf).makeQualified(dir);
    for (Path p = path.getFileSystem(conf).makeQualified(path); p != null; p = p.getParent()) {
      if (p.equals(d)) return true;
    }
    return false;
  }

  /** One table per scored split: category, records scored / total, response tokens, losses, perplexities, ROUGE-L. */
  static void print(EvalResult result, String label, PrintStream out) {
    String split = null;
    for (EvalMetricsRow r : result.metrics()) {
      if (!r.split().equals(split)) {
        split = r.split();
        out.println("evaluate " + label + " on " + split + " (" + String.format(Locale.ROOT, "%.1f s", r.wallMs() / 1e3) + ")");
        out.println(String.format(Locale.ROOT, "  %-24s %9s %8s %10s %7s %10s %7s %8s", "category", "scored", "tokens",
            "resp loss", "ppl", "all loss", "ppl", "ROUGE-L"));
      }
      out.println(String.format(Locale.ROOT, "  %-24s %4d/%-4d %8d %10s %7s %10s %7s %8s", r.category(),
          r.scoredExamples(), r.examples(), r.tokens(), num(r.responseLoss(), 4), num(r.responsePerplexity(), 2),
          num(r.allLoss(), 4), num(r.allPerplexity(), 2), num(r.rougeL(), 3)));
    }
    long answered = result.generations().stream().filter(g -> g.reference() == null).count();
    if (answered > 0) out.println("answered " + answered + " questions without reference (e.g. vicuna80): see eval_generations");
  }

  private static String num(double v, int digits) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
