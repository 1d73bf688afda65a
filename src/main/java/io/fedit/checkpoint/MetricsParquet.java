package io.fedit.checkpoint;

import io.fedit.fs.ParquetOutput;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The two training metrics tables, client_metrics and round_metrics, as flat Parquet files (one file per round,
 * same schema in every file, so one directory reads as one table in Spark SQL, DuckDB or pandas): their schemas,
 * the writer of a round's files and the readers of a file and of a whole table ({@link #readClientMetricsTable},
 * {@link #readRoundMetricsTable}). Optional columns hold null for NaN.
 */
public final class MetricsParquet {
  static final MessageType CLIENT = MessageTypeParser.parseMessageType("""
      message client_metrics {
        required int32 round;
        required binary client_id (STRING);
        required int32 attempt;
        optional int64 examples;
        optional int64 tokens;
        optional int32 steps;
        optional double first_loss;
        optional double last_loss;
        optional double mean_loss;
        optional double tokens_per_sec;
        optional int64 wall_ms;
        optional double update_norm;
        required binary status (STRING);
        optional binary reason (STRING);
        optional int32 skipped_steps;
      }""");
  static final MessageType ROUND = MessageTypeParser.parseMessageType("""
      message round_metrics {
        required int32 round;
        required int32 clients_sampled;
        required int32 clients_accepted;
        optional double train_loss;
        required int64 wall_ms;
        required int64 scheduling_ms;
        required int64 training_ms;
        required int64 aggregation_ms;
        required int64 commit_ms;
      }""");

  private MetricsParquet() {}

  static void writeClient(Configuration conf, Path file, List<ClientMetricsRow> rows) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(CLIENT);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, CLIENT)) {
      for (ClientMetricsRow r : rows) {
        Group g = f.newGroup().append("round", r.round()).append("client_id", r.clientId()).append("attempt", r.attempt());
        counted(g, "examples", r.examples());
        counted(g, "tokens", r.tokens());
        counted(g, "steps", r.steps());
        optional(g, "first_loss", r.firstLoss());
        optional(g, "last_loss", r.lastLoss());
        optional(g, "mean_loss", r.meanLoss());
        optional(g, "tokens_per_sec", r.tokensPerSec());
        counted(g, "wall_ms", r.wallMs());
        optional(g, "update_norm", r.updateNorm());
        g.append("status", r.status());
        if (r.reason() != null) g.append("reason", r.reason());
        counted(g, "skipped_steps", r.skippedSteps());
        w.write(g);
      }
    }
  }

  static void writeRound(Configuration conf, Path file, RoundMetricsRow r) throws IOException {
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, ROUND)) {
      Group g = new SimpleGroupFactory(ROUND).newGroup().append("round", r.round())
          .append("clients_sampled", r.clientsSampled()).append("clients_accepted", r.clientsAccepted());
      optional(g, "train_loss", r.trainLoss());
      g.append("wall_ms", r.wallMs()).append("scheduling_ms", r.schedulingMs())
          .append("training_ms", r.trainingMs()).append("aggregation_ms", r.aggregationMs())
          .append("commit_ms", r.commitMs());
      w.write(g);
    }
  }

  /**
   * Every row of the run's metrics/client_metrics as published (files in path order: by round), committed or not
   * (a crashed commit's file lives until the writer's next open); empty when it holds none.
   */
  public static List<ClientMetricsRow> readClientMetricsTable(Configuration conf, RunLayout run) throws IOException {
    List<ClientMetricsRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, run.table(Table.CLIENT_METRICS))) out.addAll(readClient(conf, file));
    return out;
  }

  /** Every row of the run's metrics/round_metrics as published (files in path order: by round); empty when none. */
  public static List<RoundMetricsRow> readRoundMetricsTable(Configuration conf, RunLayout run) throws IOException {
    List<RoundMetricsRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, run.table(Table.ROUND_METRICS))) {
      try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
        for (Group g = rd.read(); g != null; g = rd.read()) out.add(round(g));
      }
    }
    return out;
  }

  static List<ClientMetricsRow> readClient(Configuration conf, Path file) throws IOException {
    List<ClientMetricsRow> out = new ArrayList<>();
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) {
        out.add(new ClientMetricsRow(g.getInteger("round", 0), g.getString("client_id", 0),
            g.getInteger("attempt", 0), counted(g, "examples"), counted(g, "tokens"), (int) counted(g, "steps"),
            optional(g, "first_loss"), optional(g, "last_loss"), optional(g, "mean_loss"),
            optional(g, "tokens_per_sec"), counted(g, "wall_ms"), optional(g, "update_norm"),
            g.getString("status", 0), g.getFieldRepetitionCount("reason") == 0 ? null : g.getString("reason", 0),
            // absent in files written before the column existed: nothing was skipped then
            g.getType().containsField("skipped_steps") ? (int) counted(g, "skipped_steps") : 0));
      }
    }
    return out;
  }

  static RoundMetricsRow readRound(Configuration conf, Path file) throws IOException {
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      Group g = rd.read();
      if (g == null) throw new CheckpointCorruptException(file + " holds no row");
      return round(g);
    }
  }

  private static RoundMetricsRow round(Group g) {
    return new RoundMetricsRow(g.getInteger("round", 0), g.getInteger("clients_sampled", 0),
        g.getInteger("clients_accepted", 0), optional(g, "train_loss"), g.getLong("wall_ms", 0),
        g.getLong("scheduling_ms", 0), g.getLong("training_ms", 0), g.getLong("aggregation_ms", 0),
        g.getLong("commit_ms", 0));
  }

  private static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) g.append(field, v);
  }

  private static double optional(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
  }

  /** A count or time: null when withheld ({@link ClientMetricsRow#WITHHELD}). */
  private static void counted(Group g, String field, long v) {
    if (v == ClientMetricsRow.WITHHELD) return;
    if (g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName()
        == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32) {
      g.append(field, (int) v);
    } else {
      g.append(field, v);
    }
  }

  private static long counted(Group g, String field) {
    if (g.getFieldRepetitionCount(field) == 0) return ClientMetricsRow.WITHHELD;
    return g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName()
        == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32 ? g.getInteger(field, 0) : g.getLong(field, 0);
  }
}
