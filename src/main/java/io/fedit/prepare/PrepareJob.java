package io.fedit.prepare;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.data.BadRecord;
import io.fedit.data.BadRecordReason;
import io.fedit.data.DataException;
import io.fedit.data.InstructionReader;
import io.fedit.data.InstructionRecord;
import io.fedit.data.ParseResult;
import io.fedit.data.PromptTemplate;
import io.fedit.data.TokenCounter;
import io.fedit.fs.HadoopPaths;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import io.fedit.partition.Assignment;
import io.fedit.partition.ClientPartitioner;
import io.fedit.partition.PartitionStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code prepare} step: read and validate the instruction data, assign every record to one client,
 * count tokens, and write under {@code <run>/data/}:
 * <pre>
 *   clients/client_id=&lt;id&gt;/part-*.parquet   the client table ({@link ClientTable})
 *   client_stats/part-*.parquet            client_id, records, category_counts, tokens, mean_tokens,
 *                                          max_tokens, over_cutoff_share
 *   heldout/, validation/                  with eval.holdout_records / eval.validation_records: records held out
 *                                          of training before partitioning ({@link HoldoutSplit})
 *   summary.json, config.yaml, fingerprint.json
 * </pre>
 * Everything is written to a temporary directory that is renamed into place at the end, so a crash
 * leaves no half-prepared data. A rerun with the same inputs and configuration reuses the output.
 */
public final class PrepareJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);
  static final int BAD_EXAMPLES_KEPT = 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The client table's columns with client_id nullable and the held-out split's name (null: a training record). */
  private static final StructType WITH_SPLIT_SCHEMA = new StructType(java.util.Arrays.stream(ClientTable.SCHEMA.fields())
      .map(f -> f.name().equals("client_id") ? f.copy(f.name(), f.dataType(), true, f.metadata()) : f)
      .toArray(org.apache.spark.sql.types.StructField[]::new))
      .add("split", DataTypes.StringType, true);

  private PrepareJob() {}

  /** The prepared-data directory of a run. */
  public static String dataDir(RunConfig cfg) {
    return cfg.runDir() + "/data";
  }

  public static PrepareSummary run(SparkSession spark, RunConfig given) {
    long start = System.nanoTime();
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    // Paths as the driver resolves them (idempotent): the fingerprint never depends on how a caller wrote them.
    RunConfig cfg = io.fedit.fs.QualifiedPaths.of(given, hconf);
    String outDir = dataDir(cfg);
    FileSystem fs = HadoopPaths.fs(outDir, hconf);
    String fingerprint = InputFingerprint.of(cfg, hconf);
    PrepareSummary previous = reusable(fs, outDir, fingerprint, start);
    removeLeftovers(fs, cfg.runDir());
    if (previous != null) return previous;

    spark.sparkContext().setJobDescription("fedit prepare: read and validate " + cfg.data().path());
    JavaRDD<ParseResult> parsed = InstructionReader.read(spark, cfg.data()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> badCounts = new LinkedHashMap<>();
      for (BadRecordReason r : BadRecordReason.values()) badCounts.put(r.name(), 0L);
      JavaRDD<BadRecord> bad = parsed.filter(r -> !r.isOk()).map(ParseResult::bad);
      bad.map(BadRecord::reason).countByValue().forEach((r, n) -> badCounts.put(r.name(), n));
      long badTotal = badCounts.values().stream().mapToLong(Long::longValue).sum();
      List<BadRecord> firstBad = badTotal == 0 ? List.of() : bad.takeOrdered(BAD_EXAMPLES_KEPT, new ByPosition());
      if (badTotal > 0 && !cfg.data().skipBadRecords()) {
        throw new DataException(firstBad.get(0).describe() + (badTotal > 1 ? " (and " + (badTotal - 1)
            + " more bad records; set data.on_bad_record=skip to skip and count them)" : ""));
      }

      // Stable record ids: sorted by (file, line). Only keys (category / client key) reach the driver.
      JavaRDD<InstructionRecord> good = parsed.filter(ParseResult::isOk).map(ParseResult::record)
          .sortBy(PrepareJob::positionKey, true, workPartitions(spark, parsed.getNumPartitions()));
      String keyColumn = cfg.partition().method().equals("column") ? cfg.data().clientKeyColumn() : null;
      List<String[]> keys = good.map(r -> new String[] {r.category(), r.clientKey()}).collect();
      if (keys.isEmpty()) {
        throw new DataException(cfg.data().path() + ": no valid instruction records"
            + (badTotal > 0 ? " (all " + badTotal + " were bad: " + firstBad.get(0).describe() + ")" : " (empty input)"));
      }
      // Held-out and validation records leave before partitioning: only the rest is assigned to clients.
      byte[] roles = HoldoutSplit.roles(keys.size(), cfg.eval().holdoutRecords(), cfg.eval().validationRecords(),
          cfg.run().seed());
      List<String[]> trainKeys = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) if (roles[i] == HoldoutSplit.TRAIN) trainKeys.add(keys.get(i));
      List<String> categories = trainKeys.stream().map(k -> k[0]).toList();
      List<String> partitionKeys = keyColumn == null ? categories : trainKeys.stream().map(k -> k[1]).toList();
      Assignment assignment = ClientPartitioner.of(cfg.partition()).assign(partitionKeys, cfg.run().seed());
      int[] clientOfRecord = new int[keys.size()]; // record id -> client index, -1 when held out
      for (int i = 0, t = 0; i < keys.size(); i++) clientOfRecord[i] = roles[i] == HoldoutSplit.TRAIN ? assignment.clientOf()[t++] : -1;
      if (trainKeys.size() < keys.size()) {
        LOG.info("held out of training by seed {}: {} records (heldout), {} (validation); {} left for clients",
            cfg.run().seed(), cfg.eval().holdoutRecords(), cfg.eval().validationRecords(), trainKeys.size());
      }

      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<int[]> clientOf = jsc.broadcast(clientOfRecord);
      Broadcast<byte[]> roleOf = jsc.broadcast(roles);
      Broadcast<String[]> clientIds = jsc.broadcast(assignment.clientIds().toArray(String[]::new));
      // The tokenizer travels as broadcast bytes: executors need no filesystem set-up to count tokens.
      Broadcast<byte[]> tokenizerJson = jsc.broadcast(readAll(HadoopPaths.fs(cfg.model().path(), hconf), cfg.model().path() + "/tokenizer.json"));
      LlamaConfig model = ModelWeights.loadConfig(new Path(cfg.model().path()), hconf);
      int bos = model.bosTokenId();
      int eos = model.eosTokenId();
      PromptTemplate template = PromptTemplate.named(cfg.data().promptTemplate());

      JavaRDD<Row> rows = good.zipWithIndex().mapPartitions(it -> {
        List<Row> out = new ArrayList<>();
        try (Tokenizer tokenizer = Tokenizer.fromStream(new java.io.ByteArrayInputStream(tokenizerJson.value()), bos, eos)) {
          TokenCounter counter = new TokenCounter(tokenizer, template);
          while (it.hasNext()) {
            var t = it.next();
            InstructionRecord r = t._1();
            long id = t._2();
            int c = clientOf.value()[(int) id];
            out.add(RowFactory.create(id, c < 0 ? null : clientIds.value()[c], r.sourceFile(), r.sourceLine(),
                r.instruction(), r.context(), r.response(), r.category(), counter.count(r),
                HoldoutSplit.splitOf(roleOf.value()[(int) id])));
          }
        }
        return out.iterator();
      });
      String tmp = cfg.runDir() + "/_tmp-data-" + UUID.randomUUID();
      spark.sparkContext().setJobDescription("fedit prepare: write client table");
      Dataset<Row> all = spark.createDataFrame(rows, WITH_SPLIT_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
      for (String split : List.of(HoldoutSplit.HELDOUT, HoldoutSplit.VALIDATION)) {
        if (split.equals(HoldoutSplit.HELDOUT) ? cfg.eval().holdoutRecords() == 0 : cfg.eval().validationRecords() == 0) continue;
        all.filter(col("split").equalTo(split)).drop("client_id", "split").repartition(1).sortWithinPartitions("record_id")
            .write().parquet(HoldoutSplit.dir(tmp, split));
      }
      Dataset<Row> table = all.filter(col("split").isNull()).drop("split");
      ClientTable.write(table, tmp);
      spark.sparkContext().setJobDescription("fedit prepare: client statistics");
      Dataset<Row> stats = clientStats(table, cfg.data().cutoffLen());
      stats.coalesce(1).write().parquet(tmp + "/client_stats");
      Row totals = table.agg(sum("num_tokens"), avg(when(col("num_tokens").gt(cfg.data().cutoffLen()), 1).otherwise(0)))
          .first();
      all.unpersist();

      int[] sizes = assignment.sizes();
      int[] sorted = sizes.clone();
      Arrays.sort(sorted);
      double meanCats = PartitionStats.categoryCounts(assignment, categories).stream()
          .mapToInt(Map::size).average().orElse(0);
      PrepareSummary summary = new PrepareSummary(cfg.data().path(), outDir, keys.size(), badCounts,
          firstBad.stream().map(BadRecord::describe).toList(), cfg.partition().method(),
          assignment.clientIds().size(), sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], meanCats,
          PartitionStats.categorySkew(assignment, categories), totals.getLong(0), cfg.data().cutoffLen(),
          totals.getDouble(1), (System.nanoTime() - start) / 1e9, false);
      writeText(fs, tmp + "/summary.json", JSON.writeValueAsString(summary));
      writeText(fs, tmp + "/config.yaml", ConfigLoader.toYaml(cfg));
      writeText(fs, tmp + "/fingerprint.json", fingerprint);
      commit(fs, tmp, outDir);
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      parsed.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** One row per client: sizes, category mix and token statistics. */
  static Dataset<Row> clientStats(Dataset<Row> table, int cutoffLen) {
    Dataset<Row> perCategory = table.groupBy("client_id", "category").agg(count(lit(1)).as("n"))
        .groupBy("client_id")
        .agg(map_from_entries(org.apache.spark.sql.functions.array_sort(collect_list(struct(col("category"), col("n")))))
            .as("category_counts"));
    Dataset<Row> tokens = table.groupBy("client_id").agg(
        count(lit(1)).as("records"),
        sum("num_tokens").as("tokens"),
        avg("num_tokens").as("mean_tokens"),
        max("num_tokens").as("max_tokens"),
        avg(when(col("num_tokens").gt(cutoffLen), 1).otherwise(0)).as("over_cutoff_share"));
    return tokens.join(perCategory, "client_id")
        .select("client_id", "records", "category_counts", "tokens", "mean_tokens", "max_tokens", "over_cutoff_share")
        .orderBy("client_id");
  }

  /**
   * JSON is parsed one task per file, so a single large file arrives as one partition; the sort spreads
   * the records (and the tokenization after it) over every core.
   */
  private static int workPartitions(SparkSession spark, int inputPartitions) {
    return Math.max(inputPartitions, 2 * spark.sparkContext().defaultParallelism());
  }

  private static String positionKey(InstructionRecord r) {
    return r.sourceFile() + '\u0000' + String.format("%019d", r.sourceLine());
  }

  /** Orders bad records by file then line, so the reported first error does not depend on timing. */
  static final class ByPosition implements Comparator<BadRecord>, Serializable {
    @Override
    public int compare(BadRecord a, BadRecord b) {
      int c = a.file().compareTo(b.file());
      return c != 0 ? c : Long.compare(a.line(), b.line());
    }
  }

  private static PrepareSummary reusable(FileSystem fs, String outDir, String fingerprint, long start) {
    try {
      Path fp = new Path(outDir, "fingerprint.json");
      if (!fs.exists(new Path(outDir))) return null;
      if (!fs.exists(fp)) {
        throw new DataException(outDir + " exists but holds no prepared data (no fingerprint.json); remove it or choose another run.name");
      }
      String existing = new String(readAll(fs, fp.toString()), StandardCharsets.UTF_8);
      if (!existing.equals(fingerprint)) {
        throw new DataException(outDir + " holds data prepared from other inputs or settings (data, partition, "
            + "run.seed, model tokenizer); choose another run.name or remove it to prepare again");
      }
      return JSON.readValue(readAll(fs, outDir + "/summary.json"), PrepareSummary.class)
          .asReused(outDir, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A prepare that crashed (or was refused mid-way) leaves {@code _tmp-data-*}: the next one removes it. */
  private static void removeLeftovers(FileSystem fs, String runDir) {
    try {
      Path dir = new Path(runDir);
      if (!fs.exists(dir)) return;
      for (var st : fs.listStatus(dir, p -> p.getName().startsWith("_tmp-data-"))) {
        LOG.warn("removing {}: left behind by a prepare that did not finish", st.getPath());
        fs.delete(st.getPath(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void commit(FileSystem fs, String tmp, String outDir) throws IOException {
    if (!fs.rename(new Path(tmp), new Path(outDir))) {
      fs.delete(new Path(tmp), true);
      throw new IOException("cannot move prepared data into place at " + outDir + " (does it exist already?)");
    }
    LOG.info("prepared data committed at {}", outDir);
  }

  static byte[] readAll(FileSystem fs, String path) throws IOException {
    try (var in = fs.open(new Path(path))) {
      return in.readAllBytes();
    }
  }

  private static void writeText(FileSystem fs, String path, String text) throws IOException {
    try (OutputStream out = fs.create(new Path(path), false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
