package io.fedit.eval;

import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held-out evaluation as one Spark job per split: records spread over eval.partitions tasks (default: the
 * job's parallelism), scored on the executors with the cached base model, reduced on the driver
 * ({@link EvalAggregator}). Works for any adapter: pass null for the base model, or the weights of a round,
 * of a PEFT directory or of any training run, with their LoRA scaling.
 */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  private final SparkSession spark;
  private final RunConfig cfg;
  private final String modelHash;

  /** {@code modelHash}: content hash of cfg.model().path() (the executors' model cache key). */
  public Evaluator(SparkSession spark, RunConfig cfg, String modelHash) {
    this.spark = spark;
    this.cfg = cfg;
    this.modelHash = modelHash;
  }

  /**
   * Evaluates one adapter on several splits; the rows' wall_ms is the time of all of them together.
   *
   * @param adapter   null: the base model
   * @param scaling   LoRA scaling of the adapter (alpha / r, or alpha / sqrt(r))
   * @param round     the round column of the rows
   * @param label     the adapter column ("base", "round-00003", a PEFT directory)
   * @param generate  also answer greedily (eval.max_new_tokens); unscored splits are skipped without it
   */
  public EvalResult evaluate(List<EvalSet> sets, AdapterWeights adapter, double scaling, int round, String label,
      boolean generate) {
    long t0 = System.nanoTime();
    EvalResult out = EvalResult.empty();
    for (EvalSet set : sets) {
      if (!set.scored() && !generate) continue;
      out = out.plus(evaluate(set, adapter, scaling, round, label, generate ? cfg.eval().maxNewTokens() : 0));
    }
    // wall_ms is that of the whole evaluation (every split, answers included), the same on every row.
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    return new EvalResult(out.metrics().stream().map(m -> m.withWallMs(wallMs)).toList(), out.generations());
  }

  /** One split; {@code maxNewTokens} 0 = no answers. */
  public EvalResult evaluate(EvalSet set, AdapterWeights adapter, double scaling, int round, String label,
      int maxNewTokens) {
    long t0 = System.nanoTime();
    List<RecordScore> scores = scores(set, adapter, scaling, round, label, maxNewTokens);
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    EvalResult r = EvalAggregator.reduce(set, scores, round, label, wallMs);
    LOG.info("evaluated {} on {}: {} records in {} ms{}", label, set.split(), set.items().size(), wallMs,
        r.overall(set.split()).map(m -> ", response loss " + m.responseLoss()).orElse(""));
    return r;
  }

  /**
   * The per-record results of one split (any order), for callers that need more than the reduced rows
   * (bootstrap intervals over records); reduce them with {@link EvalAggregator#reduce}.
   */
  public List<RecordScore> scores(EvalSet set, AdapterWeights adapter, double scaling, int round, String label,
      int maxNewTokens) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int parts = cfg.eval().partitions() > 0 ? cfg.eval().partitions() : jsc.defaultParallelism();
    parts = Math.max(1, Math.min(parts, set.items().size()));
    jsc.setJobGroup("fedit-eval-" + round, "fedit " + cfg.run().name() + " evaluate " + label + " on "
        + set.split() + " (" + set.items().size() + " records)", false);
    Broadcast<AdapterWeights> shipped = adapter == null ? null : jsc.broadcast(adapter);
    Broadcast<HadoopConfCopy> hadoopConf = jsc.broadcast(HadoopConfCopy.of(spark.sparkContext().hadoopConfiguration()));
    List<RecordScore> scores;
    try {
      scores = jsc.parallelize(set.items(), parts)
          .mapPartitions(new EvalTask(cfg, modelHash, shipped, scaling, maxNewTokens, hadoopConf))
          .collect();
    } finally {
      jsc.clearJobGroup();
      if (shipped != null) shipped.destroy();
      hadoopConf.destroy();
    }
    return scores;
  }
}
