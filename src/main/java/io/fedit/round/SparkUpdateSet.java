package io.fedit.round;

import io.fedit.checkpoint.CheckpointCorruptException;
import io.fedit.checkpoint.UpdateFile;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.PairwiseDistances;
import io.fedit.federation.update.UpdateSet;
import io.fedit.fs.HadoopConfCopy;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * A round's accepted updates where their executors wrote them ({@link UpdateFile}s in the staging directory),
 * aggregated by a Spark job over COORDINATE BLOCKS: the adapter's values, flattened in tensor order, are cut into
 * blocks of {@code blockValues}; block b is one task that reads values [b·B, (b+1)·B) of every client's file (a
 * ranged read, checksummed), applies the rule, and returns B doubles. The driver copies each block into its place
 * as it arrives.
 * <pre>
 *   driver memory   O(adapter): the result (8 bytes per value) and the broadcast global, whatever K is
 *   task memory     linear rules (means): one client's block at a time, O(B); median / trimmed mean: O(K · B)
 *   bytes read      K · adapter · 4 in all, spread over the tasks; to the driver: adapter · 8
 * </pre>
 * Deterministic by construction: every coordinate is computed by exactly one task, visiting the clients in
 * client id order, with the same arithmetic as {@link UpdateSet#inMemory}; which executor computes a block and
 * when it arrives change nothing, so a redone round gives the same bits (no shuffle, no merge order).
 */
final class SparkUpdateSet implements UpdateSet, AutoCloseable {
  private final JavaSparkContext jsc;
  private final List<ClientUpdate> updates;
  private final List<String> files;
  private final double[] norms;
  private final Broadcast<HadoopConfCopy> hadoopConf;
  private final int blockValues;
  private final String label;
  private AdapterWeights shippedFor;
  private Broadcast<float[]> shippedGlobal;

  /**
   * @param updates the accepted updates (client id order), without tensors
   * @param files   their update files, same order
   * @param norms   ||θ_k − x|| as each executor measured it, same order
   */
  SparkUpdateSet(JavaSparkContext jsc, List<ClientUpdate> updates, List<String> files, double[] norms,
      Broadcast<HadoopConfCopy> hadoopConf, int blockValues, String label) {
    if (updates.size() != files.size() || updates.size() != norms.length) {
      throw new IllegalArgumentException(updates.size() + " updates, " + files.size() + " files, " + norms.length + " norms");
    }
    this.jsc = jsc;
    this.updates = List.copyOf(updates);
    this.files = List.copyOf(files);
    this.norms = norms.clone();
    this.hadoopConf = hadoopConf;
    this.blockValues = blockValues;
    this.label = label;
  }

  @Override
  public List<ClientUpdate> updates() {
    return updates;
  }

  @Override
  public double[] deltaNorms(AdapterWeights global) {
    return norms.clone();
  }

  @Override
  public double[] reduce(AdapterWeights global, CoordinateRule rule) {
    long total = global.parameterCount();
    if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("adapter of " + total + " values is too large");
    double[] out = new double[(int) total];
    // Each block is copied into place as it arrives: no list of all blocks is held.
    runBlocks(global, rule, (b, r) -> System.arraycopy(r, 0, out, b * blockValues, r.length), "aggregate");
    return out;
  }

  @Override
  public double[] squaredDistances(AdapterWeights global) {
    int blocks = blockCount(global);
    double[][] parts = new double[blocks][];
    runBlocks(global, (values, x) -> PairwiseDistances.ofBlock(values), (b, r) -> parts[b] = r,
        "pairwise distances of");
    // Summed in block order, whatever order the blocks arrived in: deterministic.
    double[] sum = new double[updates.size() * updates.size()];
    for (double[] p : parts) PairwiseDistances.add(sum, p);
    return sum;
  }

  private int blockCount(AdapterWeights global) {
    return (int) ((global.parameterCount() + blockValues - 1) / blockValues);
  }

  /**
   * Runs {@code rule} over every coordinate block of the updates, one task per block; {@code onBlock} gets
   * (block index, the block's result) on the driver as each arrives (on Spark's result thread, one at a time).
   */
  private void runBlocks(AdapterWeights global, CoordinateRule rule,
      java.util.function.BiConsumer<Integer, double[]> onBlock, String what) {
    if (updates.isEmpty()) throw new IllegalArgumentException("no update to aggregate");
    long total = global.parameterCount();
    int blocks = blockCount(global);
    List<Integer> ids = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) ids.add(b);
    Map<String, long[]> layout = UpdateFile.layoutOf(global);
    JavaRDD<Tuple2<Integer, double[]>> rdd = jsc.parallelize(ids, Math.max(1, blocks))
        .mapPartitions(new BlockTask(files, layout, ship(global), hadoopConf, rule, blockValues, total));
    List<Object> partitions = new ArrayList<>();
    for (int p = 0; p < rdd.getNumPartitions(); p++) partitions.add(p);
    jsc.sc().setJobDescription(label + ": " + what + " " + updates.size() + " updates in " + blocks + " blocks");
    SimpleFutureAction<BoxedUnit> job = jsc.sc().submitJob(rdd.rdd(), new Blocks(),
        scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(),
        (index, blockResults) -> {
          for (Tuple2<Integer, double[]> r : blockResults) onBlock.accept(r._1(), r._2());
          return BoxedUnit.UNIT;
        },
        () -> BoxedUnit.UNIT);
    try {
      job.get();
    } catch (org.apache.spark.SparkException e) {
      // The task's own error (a damaged update file names itself) is at the end of the cause chain.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) root = root.getCause();
      throw new IllegalStateException(label + ": the aggregation job failed: " + root.getMessage(), e);
    }
  }

  /** The global adapter flattened and broadcast once for all reductions against it. */
  private Broadcast<float[]> ship(AdapterWeights global) {
    if (shippedFor != global) {
      if (shippedGlobal != null) shippedGlobal.destroy();
      float[] flat = new float[(int) global.parameterCount()];
      int at = 0;
      for (AdapterWeights.Tensor t : global.tensors().values()) {
        System.arraycopy(t.values(), 0, flat, at, t.values().length);
        at += t.values().length;
      }
      shippedGlobal = jsc.broadcast(flat);
      shippedFor = global;
    }
    return shippedGlobal;
  }

  @Override
  public void close() {
    if (shippedGlobal != null) shippedGlobal.destroy();
    shippedGlobal = null;
    shippedFor = null;
  }

  /** Runs on an executor: the rule over its blocks, each from ranged reads of every client's file. */
  private record BlockTask(List<String> files, Map<String, long[]> layout, Broadcast<float[]> global,
      Broadcast<HadoopConfCopy> hadoopConf, CoordinateRule rule, int blockValues, long total)
      implements FlatMapFunction<Iterator<Integer>, Tuple2<Integer, double[]>> {
    @Override
    public Iterator<Tuple2<Integer, double[]>> call(Iterator<Integer> blocks) throws IOException {
      Configuration conf = hadoopConf.value().get();
      float[] x = global.value();
      List<Tuple2<Integer, double[]>> out = new ArrayList<>();
      while (blocks.hasNext()) {
        int b = blocks.next();
        long from = (long) b * blockValues;
        int count = (int) Math.min(blockValues, total - from);
        float[] xb = java.util.Arrays.copyOfRange(x, (int) from, (int) from + count);
        out.add(new Tuple2<>(b, rule.applyStreaming(files.size(), k -> read(conf, k, from, count), xb)));
      }
      return out.iterator();
    }

    private float[] read(Configuration conf, int k, long from, int count) {
      Path p = new Path(files.get(k));
      try {
        FileSystem fs = UpdateFile.fileSystem(p, conf);
        try (FSDataInputStream in = fs.open(p)) {
          UpdateFile.Header h = UpdateFile.readHeader(in, p, fs.getFileStatus(p).getLen());
          String mismatch = h.mismatch(layout);
          if (mismatch != null) throw new CheckpointCorruptException(p + " does not match the global adapter: " + mismatch);
          return UpdateFile.readRange(in, p, h, from, count);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read update " + p + ": " + e.getMessage(), e);
      }
    }

  }

  /** Runs on the executor: a partition's block results as a list. */
  private static final class Blocks
      extends AbstractFunction1<scala.collection.Iterator<Tuple2<Integer, double[]>>, List<Tuple2<Integer, double[]>>>
      implements Serializable {
    @Override
    public List<Tuple2<Integer, double[]>> apply(scala.collection.Iterator<Tuple2<Integer, double[]>> it) {
      List<Tuple2<Integer, double[]>> out = new ArrayList<>();
      while (it.hasNext()) out.add(it.next());
      return out;
    }
  }
}
