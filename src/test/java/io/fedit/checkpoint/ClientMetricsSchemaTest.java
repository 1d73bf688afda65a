package io.fedit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client_metrics keeps float16's skipped steps, and still reads files written before that column existed. */
class ClientMetricsSchemaTest {
  @TempDir Path dir;

  @Test
  void skippedStepsRoundTrip() throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("round-00001.parquet").toUri());
    ClientMetricsRow row = new ClientMetricsRow(1, "client-007", 0, 40, 9000, 12, 4.1, 3.2, 3.6, 1500.0, 6000, 0.02,
        "accepted", null, 3);
    MetricsParquet.writeClient(conf, file, List.of(row));
    assertEquals(List.of(row), MetricsParquet.readClient(conf, file));
  }

  @Test
  void filesWithoutTheColumnReadAsNoSkippedSteps() throws Exception {
    // The client_metrics schema as it was before skipped_steps (2026-11-27, session 3).
    MessageType old = MessageTypeParser.parseMessageType("""
        message client_metrics {
          required int32 round;
          required binary client_id (STRING);
          required int32 attempt;
          required int64 examples;
          required int64 tokens;
          required int32 steps;
          optional double first_loss;
          optional double last_loss;
          optional double mean_loss;
          optional double tokens_per_sec;
          required int64 wall_ms;
          optional double update_norm;
          required binary status (STRING);
          optional binary reason (STRING);
        }""");
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("old.parquet").toUri());
    try (ParquetWriter<Group> w = io.fedit.fs.ParquetOutput.writer(conf, file, old)) {
      w.write(new SimpleGroupFactory(old).newGroup().append("round", 2).append("client_id", "client-001")
          .append("attempt", 0).append("examples", 10L).append("tokens", 100L).append("steps", 1)
          .append("wall_ms", 5L).append("status", "failed").append("reason", "boom"));
    }
    ClientMetricsRow r = MetricsParquet.readClient(conf, file).get(0);
    assertEquals("client-001", r.clientId());
    assertEquals("boom", r.reason());
    assertEquals(0, r.skippedSteps());
    assertEquals(Double.NaN, r.firstLoss());
  }

  @Test
  void redactedRowsKeepOnlyIdAttemptAndStatus() throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("round-00003.parquet").toUri());
    ClientMetricsRow accepted = new ClientMetricsRow(3, "client-001", 0, 40, 9000, 12, 4.1, 3.2, 3.6, 1500.0, 6000,
        0.02, "accepted", null, 0);
    ClientMetricsRow rejected = new ClientMetricsRow(3, "client-002", 1, 40, 9000, 12, 4.1, 3.2, 3.6, 1500.0, 6000,
        55.0, "rejected", "update norm 55.0 above the bound", 0);
    ClientMetricsRow failed = new ClientMetricsRow(3, "client-003", 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, 0, Double.NaN, "failed", "executor lost", 0);
    MetricsParquet.writeClient(conf, file, List.of(accepted.redacted(), rejected.redacted(), failed.redacted()));
    List<ClientMetricsRow> back = MetricsParquet.readClient(conf, file);
    for (ClientMetricsRow r : back) {
      assertEquals(ClientMetricsRow.WITHHELD, r.examples(), r.clientId());
      assertEquals(ClientMetricsRow.WITHHELD, r.tokens());
      assertEquals(ClientMetricsRow.WITHHELD, r.steps());
      assertEquals(ClientMetricsRow.WITHHELD, r.wallMs());
      assertEquals(ClientMetricsRow.WITHHELD, r.skippedSteps());
      assertEquals(Double.NaN, r.meanLoss());
      assertEquals(Double.NaN, r.updateNorm());
      assertEquals(3, r.round());
    }
    assertEquals(List.of("accepted", "rejected", "failed"), back.stream().map(ClientMetricsRow::status).toList());
    assertEquals(1, back.get(1).attempt());
    assertEquals(ClientMetricsRow.REDACTED_REASON, back.get(1).reason(), "a rejection's reason quotes the update");
    assertEquals("executor lost", back.get(2).reason(), "a failure's reason is about the task");
    assertEquals(null, back.get(0).reason());
  }
}
