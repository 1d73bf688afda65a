package io.fedit.judge;

import io.fedit.fs.HadoopPaths;
import io.fedit.fs.ParquetOutput;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import io.fedit.layout.TableFiles;
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
 * The owner of the judge_scores table ({@code <run>/metrics/judge_scores/}, {@link RunLayout}): one Parquet file
 * per judged round ({@code round-00003.parquet}), one row per judged answer, so that one path reads the whole
 * table; {@link #readAll} reads it back.
 * A file is written under a hidden temporary name and renamed into place, so readers see a round's
 * scores whole or not at all; an existing round file is only replaced when the caller asks.
 */
public final class JudgeScoresTable {
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message judge_scores {
        required int32 round;
        required binary adapter (STRING);
        required binary split (STRING);
        required int64 record_id;
        optional binary category (STRING);
        required binary judge_model (STRING);
        optional int32 score;
        required binary status (STRING);
        optional binary detail (STRING);
        required int32 attempts;
        required int64 wall_ms;
      }""");

  private final RunLayout run;
  private final Path table;
  private final Configuration conf;
  private final FileSystem fs;

  public JudgeScoresTable(String runDir, Configuration conf) {
    this.run = RunLayout.of(runDir);
    this.table = run.table(Table.JUDGE_SCORES);
    this.conf = conf;
    this.fs = HadoopPaths.fs(runDir, conf);
  }

  public String path() {
    return table.toString();
  }

  public Path file(int round) {
    return run.roundFile(Table.JUDGE_SCORES, round);
  }

  public boolean exists(int round) throws IOException {
    return fs.exists(file(round));
  }

  /** Writes round {@code round}'s rows; with {@code replace} false an existing file is an error. */
  public void write(int round, List<JudgedAnswer> rows, boolean replace) throws IOException {
    fs.mkdirs(table);
    Publish.file(fs, file(round), replace ? Publish.IfExists.REPLACE : Publish.IfExists.REFUSE,
        tmp -> writeFile(tmp, rows));
  }

  /** Every row of the table (all judged rounds, files in path order); empty when nothing was judged. */
  public List<JudgeScoreRow> readAll() throws IOException {
    List<JudgeScoreRow> out = new ArrayList<>();
    for (Path file : TableFiles.of(conf, table)) readFile(file, out);
    return out;
  }

  /** Round {@code round}'s rows (empty when the round was never judged). */
  public List<JudgeScoreRow> readRound(int round) throws IOException {
    List<JudgeScoreRow> out = new ArrayList<>();
    if (exists(round)) readFile(file(round), out);
    return out;
  }

  private void readFile(Path file, List<JudgeScoreRow> out) throws IOException {
    try (ParquetReader<Group> rd = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = rd.read(); g != null; g = rd.read()) {
        out.add(new JudgeScoreRow(g.getInteger("round", 0), g.getString("adapter", 0), g.getString("split", 0),
            g.getLong("record_id", 0), optionalString(g, "category"), g.getString("judge_model", 0),
            g.getFieldRepetitionCount("score") == 0 ? null : g.getInteger("score", 0), g.getString("status", 0),
            optionalString(g, "detail"), g.getInteger("attempts", 0), g.getLong("wall_ms", 0)));
      }
    }
  }

  private static String optionalString(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? null : g.getString(field, 0);
  }

  private void writeFile(Path file, List<JudgedAnswer> rows) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, SCHEMA)) {
      for (JudgedAnswer j : rows) {
        StoredAnswer a = j.answer();
        JudgeOutcome o = j.outcome();
        Group g = f.newGroup().append("round", a.round()).append("adapter", a.adapter())
            .append("split", a.split()).append("record_id", a.recordId());
        if (a.category() != null) g.append("category", a.category());
        g.append("judge_model", j.judgeModel());
        if (o.score() != null) g.append("score", o.score());
        g.append("status", o.status());
        if (o.detail() != null) g.append("detail", o.detail());
        g.append("attempts", o.attempts()).append("wall_ms", o.wallMs());
        w.write(g);
      }
    }
  }
}
