package io.fedit.experiment;

import io.fedit.eval.RecordScore;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Owner of the experiment/record_scores table: every evaluated model's loss sums on every eval record, one Parquet
 * file per seed ({@code seed-<S>.parquet}), written atomically before the seed's experiment/results file. It is what
 * the paired comparisons are computed from, so they can be recomputed for any set of seeds, per category, later.
 * About 13 models x 1,580 records per seed at the shipped settings.
 */
public final class RecordScoresTable {
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message experiment_record_scores {
        required binary arm (STRING);
        required int64 seed;
        required binary member (STRING);
        required binary split (STRING);
        required int64 record_id;
        required binary category (STRING);
        required int64 response_tokens;
        required double response_nll;
        required int64 all_tokens;
        required double all_nll;
      }""");

  /** One model's score of one record. */
  record Row(String arm, String member, String split, RecordScore score) {}

  private final Configuration conf;
  private final Path table;

  /** {@code run}: the run the experiment belongs to (the table is its experiment/record_scores). */
  RecordScoresTable(Configuration conf, RunLayout run) {
    this.conf = conf;
    this.table = run.table(Table.EXPERIMENT_RECORD_SCORES);
  }

  boolean has(long seed) throws IOException {
    return table.getFileSystem(conf).exists(new Path(table, RunLayout.seedFileName(seed)));
  }

  void write(long seed, List<Row> rows) throws IOException {
    ParquetFiles.write(conf, table, RunLayout.seedFileName(seed), SCHEMA, false, (w, f) -> {
      for (Row r : rows) {
        RecordScore s = r.score();
        w.write(f.newGroup().append("arm", r.arm()).append("seed", seed).append("member", r.member())
            .append("split", r.split()).append("record_id", s.recordId()).append("category", s.category())
            .append("response_tokens", s.responseTokens()).append("response_nll", s.responseNll())
            .append("all_tokens", s.allTokens()).append("all_nll", s.allNll()));
      }
    });
  }

  /** The rows of one seed, in file order. */
  List<Row> read(long seed) throws IOException {
    List<Row> out = new ArrayList<>();
    for (Group g : ParquetFiles.read(conf, new Path(table, RunLayout.seedFileName(seed)))) {
      out.add(new Row(g.getString("arm", 0), g.getString("member", 0), g.getString("split", 0),
          new RecordScore(g.getLong("record_id", 0), g.getString("category", 0), g.getLong("response_tokens", 0),
              g.getDouble("response_nll", 0), g.getLong("all_tokens", 0), g.getDouble("all_nll", 0), null, null)));
    }
    return out;
  }
}
