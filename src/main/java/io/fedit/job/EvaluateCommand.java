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
 * {@code eval-<time>-<id>.parquet} (or under --output; see {@link #defaultOutput}).
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
          + "directory, or <run dir>/evaluations when the run's tables already hold this round's evaluation")
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
      String dir = output != null ? output : defaultOutput(cfg.runDir(), round, conf);
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
   * The run's own tables ({@code <run dir>/metrics/eval_*}, beside what train/round committed), unless they
   * already hold this round's evaluation (the base model or a committed round evaluated by train/round): then
   * {@code <run dir>/evaluations/metrics/eval_*}, so the run's tables never hold one round twice.
   */
  static String defaultOutput(String runDir, int round, Configuration conf) throws java.io.IOException {
    if (round < 0) return runDir;
    RunLayout run = RunLayout.of(runDir);
    Path committed = run.roundFile(Table.EVAL_METRICS, round);
    return committed.getFileSystem(conf).exists(committed) ? run.evaluationsDir().toString() : runDir;
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
