package io.fedit.bench;

import io.fedit.checkpoint.UpdateFile;
import io.fedit.lora.AdapterWeights;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Driver memory and time of the distributed aggregation (the round driver's coordinate-block job,
 * {@code io.fedit.round.AggregationProbe}) on K synthetic updates of V float32 values each, in a JVM whose heap
 * (-Xmx, 2 GB in bench/aggregation_memory.sh) is smaller than the K updates together: FedAvg's weighted mean and
 * the coordinate-wise median must both complete. Prints, per rule, the wall time and the JVM's peak heap (local
 * mode: driver and executor tasks share this JVM, so the peak covers both), and FedAvg's effective bandwidth
 * (update bytes / time) beside a plain in-memory weighted sum of the same number of bytes in one thread.
 * Usage: AggregationMemoryBenchmark [dir] [clients] [values] [blockValues]
 */
public final class AggregationMemoryBenchmark {
  private AggregationMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-aggregation");
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int values = args.length > 2 ? Integer.parseInt(args[2]) : 16_777_216;
    int block = args.length > 3 ? Integer.parseInt(args[3]) : 262_144;
    long bytes = 4L * clients * values;
    System.out.printf(Locale.ROOT, "%d updates x %,d float32 values = %.2f GiB; max heap %.2f GiB; block %,d values%n",
        clients, values, bytes / (double) (1L << 30), Runtime.getRuntime().maxMemory() / (double) (1L << 30), block);

    Files.createDirectories(dir);
    AdapterWeights global = synthetic(values, new SplittableRandom(0), 0.02f);
    String[] files = new String[clients];
    long tw = System.nanoTime();
    Configuration conf = new Configuration();
    for (int k = 0; k < clients; k++) {
      org.apache.hadoop.fs.Path f = new org.apache.hadoop.fs.Path(dir.toAbsolutePath().resolve("c" + k + ".update").toUri());
      files[k] = f.toString();
      if (!Files.exists(Path.of(f.toUri()))) UpdateFile.write(conf, f, synthetic(values, new SplittableRandom(k + 1), 0.02f));
    }
    System.out.printf(Locale.ROOT, "updates written (or found) in %.1f s%n", (System.nanoTime() - tw) / 1e9);

    SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
        .appName("aggregation-memory-benchmark").config("spark.ui.enabled", "false").getOrCreate();
    try {
      io.fedit.round.AggregationProbe probe = new io.fedit.round.AggregationProbe(spark, files, block);
      int[] runs = new int[2];
      // Run 1 of each rule is the first Spark job of the JVM (cold: class loading, JIT); in a round the training job
      // has warmed Spark up before the aggregation runs, so run 2 is the figure for the cost model.
      for (String rule : new String[] {"fedavg", "median", "fedavg", "median"}) {
        System.gc();
        PeakHeap peak = PeakHeap.start();
        long t0 = System.nanoTime();
        double checksum = probe.run(global, rule);
        double sec = (System.nanoTime() - t0) / 1e9;
        long[] p = peak.stop();
        System.out.printf(Locale.ROOT, "RESULT %s run %d: %.2f s, %.0f MB/s of updates, peak heap sampled %.0f MiB "
                + "(pool peaks summed %.0f MiB), result sum %.6g%n", rule, ++runs[rule.equals("fedavg") ? 0 : 1], sec, bytes / sec / 1e6,
            p[0] / 1048576.0, p[1] / 1048576.0, checksum);
      }
      probe.close();
      // The commit of a global adapter (adapter.parquet, PEFT safetensors, manifest), as a round writes it; at most
      // 4,194,304 values (the Parquet adapter writer goes value by value: the per-value cost is the constant wanted).
      int committed = Math.min(values, 1 << 22);
      AdapterWeights small = committed == values ? global : synthetic(committed, new SplittableRandom(0), 0.02f);
      var store = new io.fedit.checkpoint.CheckpointStore(dir.resolve("run").toAbsolutePath().toUri().toString(), conf);
      for (int c = 0; c < 2; c++) { // the first commit in the JVM is cold (class loading): the second is the figure
        int round = store.lastCommittedRound().orElse(0) + 1;
        var cp = io.fedit.checkpoint.RoundCheckpoint.builder(round).runName("bench").strategy("fedavg").global(small)
            .lora(io.fedit.config.ConfigLoader.defaults().lora()).baseModelNameOrPath("synthetic-base")
            .roundMetrics(new io.fedit.checkpoint.RoundMetricsRow(round, 0, 0, Double.NaN, 0, 0, 0, 0, 0)).build();
        long tc = System.nanoTime();
        store.commit(cp);
        double csec = (System.nanoTime() - tc) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT commit %d of one %,d-value global adapter: %.2f s, %.0f MB/s of adapter%n",
            c + 1, committed, csec, 4.0 * committed / csec / 1e6);
      }
    } finally {
      spark.stop();
    }

    // The same number of bytes summed in memory by one thread: one update array, added K times (weights 1/K).
    float[] one = new float[values];
    int at = 0;
    for (AdapterWeights.Tensor t : global.tensors().values()) {
      System.arraycopy(t.values(), 0, one, at, t.values().length);
      at += t.values().length;
    }
    double[] acc = new double[one.length];
    long t0 = System.nanoTime();
    for (int k = 0; k < clients; k++) {
      double w = 1.0 / clients;
      for (int i = 0; i < one.length; i++) acc[i] += w * one[i];
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT in-memory weighted sum, 1 thread: %.2f s, %.0f MB/s (check %.6g)%n", sec,
        bytes / sec / 1e6, acc[acc.length / 2]);
  }

  /** An adapter of {@code values} float32 in tensors of 131,072 (a 7B layer's LoRA A or B at r 32: 32 x 4096). */
  static AdapterWeights synthetic(int values, SplittableRandom rnd, float scale) {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    int per = 131_072;
    for (int t = 0, at = 0; at < values; t++) {
      int n = Math.min(per, values - at);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) v[i] = (float) ((rnd.nextDouble() - 0.5) * scale);
      m.put("layers." + (t / 4) + "." + (t % 4 < 2 ? "q" : "v") + "_proj.lora_" + (t % 2 == 0 ? "A" : "B"),
          new AdapterWeights.Tensor(new long[] {n}, v));
      at += n;
    }
    return new AdapterWeights(m);
  }

  /** Heap in use, sampled every 2 ms by a daemon thread, and the heap pools' own peaks (an upper bound). */
  private static final class PeakHeap {
    private volatile boolean running = true;
    private volatile long max;
    private Thread thread;

    static PeakHeap start() {
      PeakHeap p = new PeakHeap();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
      p.thread = new Thread(() -> {
        var mem = ManagementFactory.getMemoryMXBean();
        while (p.running) {
          p.max = Math.max(p.max, mem.getHeapMemoryUsage().getUsed());
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      p.thread.setDaemon(true);
      p.thread.start();
      return p;
    }

    long[] stop() throws InterruptedException {
      running = false;
      thread.join();
      long pools = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) pools += pool.getPeakUsage().getUsed();
      }
      return new long[] {max, pools};
    }
  }
}
