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
    try (ParquetWriter<Group> w = AdapterParquet.writer(conf, file, old)) {
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
}
