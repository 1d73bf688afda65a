package io.fedit.eval;

import io.fedit.fs.ParquetOutput;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner of the two evaluation tables' format: metrics/eval_metrics (one row per round, adapter, split,
 * category) and metrics/eval_generations (one row per answer), where {@link RunLayout} puts them. One Parquet
 * file per evaluation event, same schema in every file, so one directory reads as one table. NaN is stored as
 * null. {@link #publish} is the one writer of the tables (the round commit, the base model's evaluation and
 * {@code evaluate} all go through it); {@link #readMetricsTable} and {@link #readGenerationsTable} read them back.
 */
public final class EvalTables {
  private static final Logger LOG = LoggerFactory.getLogger(EvalTables.class);


  static final MessageType METRICS = MessageTypeParser.parseMessageType("""
      message eval_metrics {
        required int32 round;
        required binary adapter (STRING);
        required binary split (STRING);
        required binary category (STRING);
        required int64 examples;
        required int64 scored_examples;
        required int64 tokens;
        optional double response_loss;
        required int64 all_tokens;
        optional double all_loss;
        optional double rouge_l;
        required int64 wall_ms;
      }""");
  static final MessageType GENERATIONS = MessageTypeParser.parseMessageType("""
      message eval_generations {
        required int32 round;
        required binary adapter (STRING);
        required binary split (STRING);
        required int64 record_id;
        required binary category (STRING);
        required binary prompt (STRING);
        required binary answer (STRING);
        optional binary reference (STRING);
        optional double rouge_l;
        required binary finish_reason (STRING);
      }""");

  private EvalTables() {}

  public static void writeMetrics(Configuration conf, Path file, List<EvalMetricsRow> rows) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(METRICS);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, METRICS)) {
      for (EvalMetricsRow r : rows) {
        Group g = f.newGroup().append("round", r.round()).append("adapter", r.adapter()).append("split", r.split())
            .append("category", r.category()).append("examples", r.examples())
            .append("scored_examples", r.scoredExamples()).append("tokens", r.tokens());
        optional(g, "response_loss", r.responseLoss());
        g.append("all_tokens", r.allTokens());
        optional(g, "all_loss", r.allLoss());
        optional(g, "rouge_l", r.rougeL());
        g.append("wall_ms", r.wallMs());
        w.write(g);
      }
    }
  }

  public static void writeGenerations(Configuration conf, Path file, List<EvalGenerationRow> rows) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(GENERATIONS);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, GENERATIONS)) {
      for (EvalGenerationRow r : rows) {
        Group g = f.newGroup().append("round", r.round()).append("adapter", r.adapter()).append("split", r.split())
            .append("record_id", r.recordId()).append("category", r.category()).append("prompt", r.prompt())
            .append("answer", r.answer());
        if (r.reference() != null) g.append("reference", r.reference());
        optional(g, "rouge_l", r.rougeL());
        g.append("finish_reason", r.finishReason());
        w.write(g);
      }
    }
  }

  /** Writes both files of {@code result} into {@code dir} (as round directories hold them). */
  public static void writeBoth(Configuration conf, Path dir, EvalResult result) throws IOException {
    writeMetrics(conf, new Path(dir, RunLayout.EVAL_METRICS_FILE), result.metrics());
    writeGenerations(conf, new Path(dir, RunLayout.EVAL_GENERATIONS_FILE), result.generations());
  }

  /**
   * A temporary in an eval table untouched for this long was left by an evaluation that died (one file is
   * written in seconds); the next publish into the table removes it, since eval_generations temporaries hold
   * the records' text.
   */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

  /**
   * Adds one evaluation's rows to the tables of {@code run} (its metrics/eval_metrics and
   * metrics/eval_generations) as {@code name} (e.g. round-00000.parquet), each through a hidden temp file and a
   * rename ({@link Publish}), so a reader never sees half a file. An existing file of that name is replaced.
   */
  public static void publish(Configuration conf, RunLayout run, String name, EvalResult result) throws IOException {
    Path m = run.table(Table.EVAL_METRICS), g = run.table(Table.EVAL_GENERATIONS);
    FileSystem fs = m.getFileSystem(conf);
    for (Path table : List.of(m, g)) {
      for (Path left : Publish.removeLeftovers(fs, table, Publish.TEMP_PREFIX, ABANDONED_AFTER)) {
        LOG.warn("removed {}: left by an evaluation that did not finish", left);
      }
    }
    try (Publish.Staged metrics = Publish.stage(fs, new Path(m, name));
        Publish.Staged generations = Publish.stage(fs, new Path(g, name))) {
      writeMetrics(conf, metrics.temp(), result.metrics());
      writeGenerations(conf, generations.temp(), result.generations());
      // Generations first: the metrics file is what readers (and the round driver) take as "evaluated".
      generations.publish(Publish.IfExists.REPLACE);
      metrics.publish(Publish.IfExists.REPLACE);
    }
  }

  /** Every row of the run's metrics/eval_metrics (all its files, in path order); empty when it holds none. */
  public static List<EvalMetricsRow> readMetricsTable(Configuration conf, RunLayout run) throws IOException {
    List<EvalMetricsRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, run.table(Table.EVAL_METRICS))) out.addAll(readMetrics(conf, file));
    return out;
  }

  /**
   * Every row of the run's metrics/eval_generations (all its files, in path order, whoever wrote them: integers
   * of either width, a missing optional column as null); empty when it holds none.
   */
  public static List<EvalGenerationRow> readGenerationsTable(Configuration conf, RunLayout run) throws IOException {
    List<EvalGenerationRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, run.table(Table.EVAL_GENERATIONS))) out.addAll(readGenerations(conf, file));
    return out;
  }

  public static List<EvalMetricsRow> readMetrics(Configuration conf, Path file) throws IOException {
    List<EvalMetricsRow> out = new ArrayList<>();
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) {
        out.add(new EvalMetricsRow(g.getInteger("round", 0), g.getString("adapter", 0), g.getString("split", 0),
            g.getString("category", 0), g.getLong("examples", 0), g.getLong("scored_examples", 0),
            g.getLong("tokens", 0), optional(g, "response_loss"), g.getLong("all_tokens", 0), optional(g, "all_loss"),
            optional(g, "rouge_l"), g.getLong("wall_ms", 0)));
      }
    }
    return out;
  }

  public static List<EvalGenerationRow> readGenerations(Configuration conf, Path file) throws IOException {
    List<EvalGenerationRow> out = new ArrayList<>();
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) {
        out.add(new EvalGenerationRow((int) integer(g, "round", file), string(g, "adapter"), string(g, "split"),
            integer(g, "record_id", file), string(g, "category"), string(g, "prompt"), string(g, "answer"),
            string(g, "reference"), optional(g, "rouge_l"), string(g, "finish_reason")));
      }
    }
    return out;
  }

  private static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) g.append(field, v);
  }

  private static double optional(Group g, String field) {
    return !g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0 ? Double.NaN
        : g.getDouble(field, 0);
  }

  /** An integer column stored as int32 or int64; missing or null is an error naming the file. */
  private static long integer(Group g, String field, Path file) {
    GroupType t = g.getType();
    if (!t.containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      throw new IllegalArgumentException(file + ": column '" + field + "' is missing or null (expected an integer)");
    }
    PrimitiveTypeName p = t.getType(field).asPrimitiveType().getPrimitiveTypeName();
    return p == PrimitiveTypeName.INT64 ? g.getLong(field, 0) : g.getInteger(field, 0);
  }

  /** A string column; missing or null reads as null. */
  private static String string(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) return null;
    return g.getString(field, 0);
  }
}
