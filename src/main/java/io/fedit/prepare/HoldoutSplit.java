package io.fedit.prepare;

import io.fedit.data.DataException;
import io.fedit.data.InstructionRecord;
import io.fedit.layout.RunLayout;
import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Records held out of training before partitioning (eval.holdout_records, eval.validation_records): a seeded
 * random choice over the valid records in (file, line) order, so it is a pure function of the data and
 * run.seed. Held-out records never reach the client table; prepare stores them beside it as
 * {@code data/heldout/} and {@code data/validation/} (same columns as the client table, without client_id).
 */
public final class HoldoutSplit {
  public static final String HELDOUT = "heldout";
  public static final String VALIDATION = "validation";
  /** Roles of a record. */
  public static final byte TRAIN = 0, HELD_OUT = 1, VALIDATE = 2;

  private HoldoutSplit() {}

  /**
   * roles[i] of record i of {@code n}: {@code holdout} records HELD_OUT, {@code validation} VALIDATE, the rest TRAIN.
   * At least one record must stay for training.
   */
  public static byte[] roles(int n, int holdout, int validation, long seed) {
    if ((long) holdout + validation >= n) {
      throw new DataException("eval.holdout_records (" + holdout + ") + eval.validation_records (" + validation
          + ") must leave training records: the data has " + n + " valid records");
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    // Partial Fisher–Yates: the first holdout + validation positions are a uniform sample without replacement.
    int take = holdout + validation;
    Shuffles.shuffleFront(idx, take, Seeds.stream(Seeds.salted(seed, Seeds.HOLDOUT)));
    byte[] roles = new byte[n];
    for (int i = 0; i < take; i++) roles[idx[i]] = i < holdout ? HELD_OUT : VALIDATE;
    return roles;
  }

  /** The split's name for a role (null for TRAIN). */
  static String splitOf(byte role) {
    return role == HELD_OUT ? HELDOUT : role == VALIDATE ? VALIDATION : null;
  }

  /** Where prepare stores a split of a run's data directory ({@link RunLayout#heldOutSplit}). */
  public static String dir(String dataDir, String split) {
    return RunLayout.heldOutSplit(new org.apache.hadoop.fs.Path(dataDir), split).toString();
  }

  /** A held-out record with its record id (position among all valid records, as in the client table). */
  public record Held(long recordId, InstructionRecord record) {}

  /** The records of a stored split, in record-id order (small: read onto the driver). */
  public static List<Held> read(SparkSession spark, String dataDir, String split) {
    String dir = dir(dataDir, split);
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new DataException(dir + ": no prepared " + split + " split (prepare this run with the same eval settings first)");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Row> rows = spark.read().parquet(dir).orderBy("record_id").collectAsList();
    List<Held> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Held(r.getAs("record_id"), new InstructionRecord(r.getAs("source_file"), (long) r.getAs("source_line"),
          r.getAs("instruction"), r.getAs("context"), r.getAs("response"), r.getAs("category"), null)));
    }
    return out;
  }
}
