package io.fedit.prepare;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.data.BadRecord;
import io.fedit.data.DataException;
import io.fedit.data.InstructionReader;
import io.fedit.data.InstructionRecord;
import io.fedit.data.ParseResult;
import io.fedit.fs.HadoopPaths;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.partition.Assignment;
import io.fedit.partition.PartitionStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code prepare} step: read and validate the instruction data, assign every record to one client,
 * count tokens, and write under {@code <run>/data/} ({@link RunLayout#dataDir}):
 * <pre>
 *   clients/client_id=&lt;id&gt;/part-*.parquet   the client table ({@link ClientTable})
 *   client_stats/part-*.parquet            one row per client ({@link ClientStatsTable})
 *   heldout/, validation/                  with eval.holdout_records / eval.validation_records: records held out
 *                                          of training before partitioning ({@link HoldoutSplit})
 *   summary.json, config.yaml, fingerprint.json
 * </pre>
 * Everything is written to a temporary directory that is renamed into place at the end, so a crash
 * leaves no half-prepared data. A rerun with the same inputs and configuration reuses the output.
 */
public final class PrepareJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PrepareJob() {}

  /** The prepared-data directory of a run ({@link RunLayout#dataDir}). */
  public static String dataDir(RunConfig cfg) {
    return RunLayout.of(cfg.runDir()).dataDir().toString();
  }

  public static PrepareSummary run(SparkSession spark, RunConfig given) {
    long start = System.nanoTime();
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    // Paths as the driver resolves them (idempotent): the fingerprint never depends on how a caller wrote them.
    RunConfig cfg = io.fedit.fs.QualifiedPaths.of(given, hconf);
    String outDir = dataDir(cfg);
    FileSystem fs = HadoopPaths.fs(outDir, hconf);
    String fingerprint = InputFingerprint.of(cfg, hconf);
    PrepareSummary previous = reusable(fs, outDir, fingerprint, () -> InputFingerprint.legacy(cfg, hconf), start);
    removeLeftovers(fs, cfg.runDir());
    if (previous != null) return previous;

    spark.sparkContext().setJobDescription("fedit prepare: read and validate " + cfg.data().path());
    JavaRDD<ParseResult> parsed = InstructionReader.read(spark, cfg.data()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      BadRecordTally bad = BadRecordTally.of(parsed);
      bad.refuseUnlessSkipped(cfg.data().skipBadRecords());
      JavaRDD<InstructionRecord> good = inPositionOrder(spark, parsed);
      List<String[]> keys = keys(good, cfg, bad);
      // Held-out and validation records leave before partitioning: only the rest is assigned to clients.
      RecordPlacement placement = RecordPlacement.of(keys, cfg);
      if (placement.trainRecords() < keys.size()) {
        LOG.info("held out of training by seed {}: {} records (heldout), {} (validation); {} left for clients",
            cfg.run().seed(), cfg.eval().holdoutRecords(), cfg.eval().validationRecords(), placement.trainRecords());
      }
      JavaRDD<Row> rows = PreparedRows.of(spark, good, placement, cfg, hconf);
      // Everything goes into a hidden sibling of data/ (runDir/_tmp-data-UUID), renamed into place at the end.
      try (Publish.Staged staged = Publish.stage(fs, new Path(outDir))) {
        String tmp = staged.temp().toString();
        Row totals = writeTables(spark, rows, cfg, tmp);
        PrepareSummary summary = summary(cfg, outDir, bad, placement, totals, start);
        writeText(fs, tmp + "/" + RunLayout.PREPARE_SUMMARY_FILE, JSON.writeValueAsString(summary));
        writeText(fs, tmp + "/" + RunLayout.PREPARE_CONFIG_FILE, ConfigLoader.toYaml(cfg));
        writeText(fs, tmp + "/" + RunLayout.PREPARE_FINGERPRINT_FILE, fingerprint);
        commit(staged, outDir);
        return summary;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      parsed.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** The valid records with stable record ids: sorted by (file, line), spread over {@link #workPartitions}. */
  private static JavaRDD<InstructionRecord> inPositionOrder(SparkSession spark, JavaRDD<ParseResult> parsed) {
    return parsed.filter(ParseResult::isOk).map(ParseResult::record)
        .sortBy(PrepareJob::positionKey, true, workPartitions(spark, parsed.getNumPartitions()));
  }

  /** {category, client key} of every valid record, by record id: only these keys reach the driver. */
  private static List<String[]> keys(JavaRDD<InstructionRecord> good, RunConfig cfg, BadRecordTally bad) {
    List<String[]> keys = good.map(r -> new String[] {r.category(), r.clientKey()}).collect();
    if (keys.isEmpty()) {
      throw new DataException(cfg.data().path() + ": no valid instruction records" + (bad.total() > 0
          ? " (all " + bad.total() + " were bad: " + bad.first().get(0).describe() + ")" : " (empty input)"));
    }
    return keys;
  }

  /**
   * Writes heldout/ and validation/ (when asked for), the client table and client_stats/ under {@code tmp};
   * returns (total tokens, share of training records over cutoff_len) of the client table.
   */
  private static Row writeTables(SparkSession spark, JavaRDD<Row> rows, RunConfig cfg, String tmp) {
    spark.sparkContext().setJobDescription("fedit prepare: write client table");
    Dataset<Row> all = spark.createDataFrame(rows, PreparedRows.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    for (String split : List.of(HoldoutSplit.HELDOUT, HoldoutSplit.VALIDATION)) {
      if (split.equals(HoldoutSplit.HELDOUT) ? cfg.eval().holdoutRecords() == 0 : cfg.eval().validationRecords() == 0) continue;
      all.filter(col("split").equalTo(split)).drop("client_id", "split").repartition(1).sortWithinPartitions("record_id")
          .write().parquet(HoldoutSplit.dir(tmp, split));
    }
    Dataset<Row> table = all.filter(col("split").isNull()).drop("split");
    ClientTable.write(table, tmp);
    spark.sparkContext().setJobDescription("fedit prepare: client statistics");
    ClientStatsTable.write(table, cfg.data().cutoffLen(), tmp);
    Row totals = table.agg(sum("num_tokens"), avg(when(col("num_tokens").gt(cfg.data().cutoffLen()), 1).otherwise(0)))
        .first();
    all.unpersist();
    return totals;
  }

  /** summary.json's content: input, bad records, client sizes (min, median, max) and mix, tokens, time since start. */
  private static PrepareSummary summary(RunConfig cfg, String outDir, BadRecordTally bad, RecordPlacement placement,
      Row totals, long start) {
    Assignment assignment = placement.assignment();
    List<String> categories = placement.trainCategories();
    int[] sorted = assignment.sizes().clone();
    Arrays.sort(sorted);
    double meanCats = PartitionStats.categoryCounts(assignment, categories).stream()
        .mapToInt(Map::size).average().orElse(0);
    return new PrepareSummary(cfg.data().path(), outDir, placement.records(), bad.counts(),
        bad.first().stream().map(BadRecord::describe).toList(), cfg.partition().method(),
        assignment.clientIds().size(), sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], meanCats,
        PartitionStats.categorySkew(assignment, categories), totals.getLong(0), cfg.data().cutoffLen(),
        totals.getDouble(1), (System.nanoTime() - start) / 1e9, false);
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

  /**
   * The summary of data already prepared from the same inputs, or null when there is none; data prepared from
   * other inputs is refused, naming what differs. {@code legacy}: the fingerprint in the form stored before it
   * became path-independent, accepted for runs prepared then.
   */
  private static PrepareSummary reusable(FileSystem fs, String outDir, String fingerprint,
      java.util.function.Supplier<String> legacy, long start) {
    try {
      Path fp = new Path(outDir, RunLayout.PREPARE_FINGERPRINT_FILE);
      if (!fs.exists(new Path(outDir))) return null;
      if (!fs.exists(fp)) {
        throw new DataException(outDir + " exists but holds no prepared data (no fingerprint.json); remove it or choose another run.name");
      }
      String existing = new String(readAll(fs, fp.toString()), StandardCharsets.UTF_8);
      if (!existing.equals(fingerprint)) {
        // The legacy form names the tokenizer by its qualified path ("file:/...", "hdfs://...") before its hash.
        boolean legacyForm = existing.matches("(?s).*\"tokenizer\" : \"[a-z]+:/.*");
        String now = legacyForm ? legacy.get() : fingerprint;
        if (!existing.equals(now)) {
          throw new DataException(outDir + " holds data prepared from other inputs or settings (differs in: "
              + String.join(", ", InputFingerprint.differences(existing, now))
              + "); choose another run.name or remove it to prepare again");
        }
      }
      return JSON.readValue(readAll(fs, outDir + "/" + RunLayout.PREPARE_SUMMARY_FILE), PrepareSummary.class)
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
      String leftover = Publish.tempNamePrefix(RunLayout.of(runDir).dataDir());
      for (var st : fs.listStatus(dir, p -> p.getName().startsWith(leftover))) {
        LOG.warn("removing {}: left behind by a prepare that did not finish", st.getPath());
        fs.delete(st.getPath(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void commit(Publish.Staged staged, String outDir) throws IOException {
    try {
      staged.publish(Publish.IfExists.REFUSE);
    } catch (IOException e) {
      throw new IOException("cannot move prepared data into place at " + outDir + " (does it exist already?)", e);
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
