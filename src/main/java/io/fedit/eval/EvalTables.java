package io.fedit.eval;

import io.fedit.fs.ParquetOutput;
import io.fedit.fs.Publish;
import java.io.IOException;
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
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Owner of the two evaluation tables' format: metrics/eval_metrics (one row per round, adapter, split,
 * category) and metrics/eval_generations (one row per answer). One Parquet file per evaluation event, same
 * schema in every file, so one directory reads as one table. NaN is stored as null.
 */
public final class EvalTables {
  public static final String METRICS_TABLE = "metrics/eval_metrics";
  public static final String GENERATIONS_TABLE = "metrics/eval_generations";
  public static final String METRICS_FILE = "eval_metrics.parquet";
  public static final String GENERATIONS_FILE = "eval_generations.parquet";

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
    writeMetrics(conf, new Path(dir, METRICS_FILE), result.metrics());
    writeGenerations(conf, new Path(dir, GENERATIONS_FILE), result.generations());
  }

  /**
   * Adds one evaluation's rows to the tables under {@code dir} ({@code dir}/metrics/eval_metrics and
   * .../eval_generations) as {@code name} (e.g. round-00000.parquet), each through a hidden temp file and a
   * rename ({@link Publish}), so a reader never sees half a file. An existing file of that name is replaced.
   */
  public static void publish(Configuration conf, Path dir, String name, EvalResult result) throws IOException {
    Path m = new Path(dir, METRICS_TABLE), g = new Path(dir, GENERATIONS_TABLE);
    FileSystem fs = m.getFileSystem(conf);
    try (Publish.Staged metrics = Publish.stage(fs, new Path(m, name));
        Publish.Staged generations = Publish.stage(fs, new Path(g, name))) {
      writeMetrics(conf, metrics.temp(), result.metrics());
      writeGenerations(conf, generations.temp(), result.generations());
      // Generations first: the metrics file is what readers (and the round driver) take as "evaluated".
      generations.publish(Publish.IfExists.REPLACE);
      metrics.publish(Publish.IfExists.REPLACE);
    }
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
        out.add(new EvalGenerationRow(g.getInteger("round", 0), g.getString("adapter", 0), g.getString("split", 0),
            g.getLong("record_id", 0), g.getString("category", 0), g.getString("prompt", 0), g.getString("answer", 0),
            g.getFieldRepetitionCount("reference") == 0 ? null : g.getString("reference", 0),
            optional(g, "rouge_l"), g.getString("finish_reason", 0)));
      }
    }
    return out;
  }

  private static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) g.append(field, v);
  }

  private static double optional(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
  }
}
