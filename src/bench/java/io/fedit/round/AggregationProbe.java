package io.fedit.round;

import io.fedit.client.TrainMetrics;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterWeights;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The round driver's distributed aggregation ({@link SparkUpdateSet}) over update files written elsewhere, for
 * the aggregation benchmark (io.fedit.bench): the same code path as a round, without training.
 */
public final class AggregationProbe implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final Broadcast<HadoopConfCopy> conf;
  private final SparkUpdateSet set;

  /** @param files update files ({@link io.fedit.checkpoint.UpdateFile}), one per client, equal weights */
  public AggregationProbe(SparkSession spark, String[] files, int blockValues) {
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.conf = jsc.broadcast(HadoopConfCopy.of(spark.sparkContext().hadoopConfiguration()));
    List<ClientUpdate> updates = new ArrayList<>();
    for (int k = 0; k < files.length; k++) {
      TrainMetrics m = new TrainMetrics(1, 1, 1, 0, 0, 0, 0, 0, new float[0]);
      updates.add(new ClientUpdate(1, String.format("c%05d", k), 0, 1, null, m));
    }
    this.set = new SparkUpdateSet(jsc, updates, List.of(files), new double[files.length], conf, blockValues, "probe");
  }

  /** "fedavg" (example-weighted mean of the adapters) or "median" (of the deltas); returns the result's sum. */
  public double run(AdapterWeights global, String rule) {
    CoordinateRule r = switch (rule) {
      case "fedavg" -> CoordinateRule.weightedSum(set.exampleWeights());
      case "median" -> CoordinateRule.median();
      default -> throw new IllegalArgumentException("rule fedavg | median, got " + rule);
    };
    double[] out = set.reduce(global, r);
    double s = 0;
    for (double v : out) s += v;
    return s;
  }

  @Override
  public void close() {
    set.close();
    conf.destroy();
  }
}
