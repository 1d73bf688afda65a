package io.fedit.round;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.checkpoint.UpdateFile;
import io.fedit.client.TrainMetrics;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterWeights;
import io.fedit.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed aggregation on local[2] against the in-memory one: the same bits for every rule, with blocks
 * that cut across tensors; a damaged update file fails the job naming the file.
 */
class SparkUpdateSetTest {
  @TempDir Path dir;

  /** Tensors of 10, 6 and 13 values: 29 in all, blocks of 7 cross every tensor boundary. */
  private static AdapterWeights adapter(SplittableRandom rnd, float scale) {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    long[][] shapes = {{2, 5}, {6}, {13, 1}};
    for (int t = 0; t < shapes.length; t++) {
      int n = (int) (shapes[t][0] * (shapes[t].length > 1 ? shapes[t][1] : 1));
      float[] v = new float[n];
      for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * scale);
      m.put("layer" + t + ".lora_" + (t % 2 == 0 ? "A" : "B") + ".weight", new AdapterWeights.Tensor(shapes[t], v));
    }
    return new AdapterWeights(m);
  }

  private record Setup(AdapterWeights global, List<ClientUpdate> updates, List<String> files) {}

  private Setup setup(int clients) throws Exception {
    SplittableRandom rnd = new SplittableRandom(42);
    AdapterWeights global = adapter(rnd, 1f);
    List<ClientUpdate> updates = new ArrayList<>();
    List<String> files = new ArrayList<>();
    Configuration conf = new Configuration();
    for (int k = 0; k < clients; k++) {
      AdapterWeights a = adapter(rnd, k == clients - 1 ? 50f : 1f); // the last one is an outlier
      TrainMetrics m = new TrainMetrics(10 + k, 100, 2, 3.0, 2.0, 2.5, 100.0, 1000, new float[] {3f, 2f});
      updates.add(new ClientUpdate(1, "c" + k, 0, 10 + k, a, m));
      org.apache.hadoop.fs.Path f = new org.apache.hadoop.fs.Path(dir.resolve("c" + k + "-a0.update").toUri());
      UpdateFile.write(conf, f, a);
      files.add(f.toString());
    }
    return new Setup(global, updates, files);
  }

  private static SparkUpdateSet distributed(Setup s, Broadcast<HadoopConfCopy> conf, int block) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
    double[] norms = s.updates().stream().mapToDouble(u -> u.adapter().distanceTo(s.global())).toArray();
    return new SparkUpdateSet(jsc, s.updates().stream().map(ClientUpdate::withoutTensors).toList(), s.files(), norms,
        conf, block, "test");
  }

  @Test
  void everyRuleGivesTheInMemoryBitsWithBlocksAcrossTensors() throws Exception {
    Setup s = setup(5);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
    Broadcast<HadoopConfCopy> conf = jsc.broadcast(HadoopConfCopy.of(jsc.hadoopConfiguration()));
    UpdateSet local = UpdateSet.inMemory(s.updates());
    double[] w = local.exampleWeights();
    List<CoordinateRule> rules = List.of(CoordinateRule.weightedDeltaSum(w), CoordinateRule.weightedSum(w),
        CoordinateRule.median(), CoordinateRule.trimmedMean(0.2));
    try (SparkUpdateSet spark = distributed(s, conf, 7)) {
      assertArrayEquals(local.deltaNorms(s.global()), spark.deltaNorms(s.global()), 0);
      for (CoordinateRule r : rules) {
        double[] expected = local.reduce(s.global(), r);
        assertEquals(29, expected.length);
        assertArrayEquals(expected, spark.reduce(s.global(), r), 0, r.toString());
      }
      // Pairwise distances: grouped by block, not by tensor, so equal to rounding (the sum order differs).
      double[] dl = local.squaredDistances(s.global()), ds = spark.squaredDistances(s.global());
      for (int i = 0; i < dl.length; i++) assertEquals(dl[i], ds[i], 1e-12 * Math.max(1, dl[i]), "pair " + i);
      assertArrayEquals(ds, spark.squaredDistances(s.global()), 0, "the distributed sum is deterministic");
      // The median ignores the outlier that dominates the mean.
      double[] med = spark.reduce(s.global(), CoordinateRule.median());
      double[] mean = spark.reduce(s.global(), CoordinateRule.weightedDeltaSum(w));
      double medNorm = 0, meanNorm = 0;
      for (int i = 0; i < med.length; i++) {
        medNorm += med[i] * med[i];
        meanNorm += mean[i] * mean[i];
      }
      assertTrue(meanNorm > 20 * medNorm, meanNorm + " vs " + medNorm);
    } finally {
      conf.destroy();
    }
  }

  @Test
  void aDamagedUpdateFileFailsTheAggregationNamingIt() throws Exception {
    Setup s = setup(3);
    java.nio.file.Path victim = Path.of(java.net.URI.create(s.files().get(1)));
    try (var raf = new java.io.RandomAccessFile(victim.toFile(), "rw")) {
      raf.seek(raf.length() - 40); // inside the values
      int b = raf.read();
      raf.seek(raf.length() - 40);
      raf.write(b ^ 1);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
    Broadcast<HadoopConfCopy> conf = jsc.broadcast(HadoopConfCopy.of(jsc.hadoopConfiguration()));
    try (SparkUpdateSet spark = distributed(s, conf, 1000)) {
      var e = assertThrows(IllegalStateException.class,
          () -> spark.reduce(s.global(), CoordinateRule.median()));
      assertTrue(e.getMessage().contains("c1-a0.update"), e.getMessage());
    } finally {
      conf.destroy();
    }
  }
}
