package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input through the real Spark pipeline: the error text by default, counts with skip. */
class PrepareBadInputTest {
  private static final String GOOD = "{\"instruction\":\"Say hi\",\"response\":\"Hi\",\"category\":\"open_qa\"}";
  @TempDir Path dir;
  private int runs;

  /** A fresh run directory per call, so that prepared data is never reused between cases. */
  private RunConfig config(Path input, String... more) {
    String[] all = new String[more.length + 3];
    all[0] = "data.path=" + input;
    all[1] = "partition.method=iid";
    all[2] = "partition.num_clients=2";
    System.arraycopy(more, 0, all, 3, more.length);
    return Configs.forTest(dir.resolve("runs" + (runs++)), all);
  }

  /** A JSON Lines file with one bad record of each kind among good ones (lines 2, 4, 5, 6, 7, 8). */
  private Path mixedFile() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String[] lines = {
        GOOD,
        "{\"instruction\": \"x\", \"response\": ",                      // 2 malformed
        GOOD,
        "{\"instruction\":\"x\",\"context\":\"\"}",                   // 4 missing response
        "{\"instruction\":\"\",\"response\":\"y\"}",                  // 5 empty instruction
        "{\"instruction\":\"x\",\"response\":true}",                  // 6 response not a string
        null,                                                        // 7 invalid UTF-8
        "\"just a string\"",                                         // 8 not an object
        GOOD};
    for (String l : lines) {
      if (l == null) {
        b.write("{\"instruction\":\"caf".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[] {(byte) 0xE9, (byte) 0x20}); // Latin-1 é: invalid in UTF-8
        b.write("\",\"response\":\"y\"}".getBytes(StandardCharsets.UTF_8));
      } else {
        b.write(l.getBytes(StandardCharsets.UTF_8));
      }
      b.write('\n');
    }
    Path f = dir.resolve("mixed.jsonl");
    Files.write(f, b.toByteArray());
    return f;
  }

  @Test
  void firstBadRecordFailsTheJobWithFileLineAndFieldAndWritesNothing() throws Exception {
    Path f = mixedFile();
    RunConfig cfg = config(f);
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), cfg));
    assertTrue(e.getMessage().startsWith(f + " line 2: malformed JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("and 5 more bad records"), e.getMessage());
    assertFalse(Files.exists(Path.of(PrepareJob.dataDir(cfg))), "nothing written");
  }

  @Test
  void eachReasonHasItsOwnMessage() throws Exception {
    String[][] cases = {
        {"{\"instruction\":\"x\"}", "line 1, field 'response': missing (expected a non-empty string)"},
        {"{\"instruction\":\"  \",\"response\":\"y\"}", "line 1, field 'instruction': empty (expected a non-empty string)"},
        {"{\"instruction\":[\"x\"],\"response\":\"y\"}", "line 1, field 'instruction': expected a string, got an array"},
        {"{\"instruction\":\"x\",\"response\":\"y\",\"category\":3}", "line 1, field 'category': expected a string, got a number"},
    };
    int i = 0;
    for (String[] c : cases) {
      Path f = dir.resolve("case" + (i++) + ".jsonl");
      Files.writeString(f, GOOD + "\n" + GOOD + "\n" + c[0] + "\n");
      DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), config(f)));
      assertEquals(f + " " + c[1].replace("line 1", "line 3"), e.getMessage());
    }
  }

  @Test
  void skipPolicyCountsEachReasonAndKeepsTheGoodRecords() throws Exception {
    RunConfig cfg = config(mixedFile(), "data.on_bad_record=skip");
    PrepareSummary s = PrepareJob.run(LocalSpark.get(), cfg);
    assertEquals(3, s.records());
    assertEquals(1L, s.badRecords().get("MALFORMED_JSON"));
    assertEquals(1L, s.badRecords().get("MISSING_FIELD"));
    assertEquals(1L, s.badRecords().get("EMPTY_FIELD"));
    assertEquals(1L, s.badRecords().get("NOT_A_STRING"));
    assertEquals(1L, s.badRecords().get("INVALID_UTF8"));
    assertEquals(1L, s.badRecords().get("NOT_AN_OBJECT"));
    assertTrue(s.badExamples().get(0).contains("mixed.jsonl line 2: malformed JSON"), s.badExamples().toString());
    assertTrue(s.badExamples().get(4).contains("line 7: invalid UTF-8"), s.badExamples().toString());
    assertTrue(s.describe().contains("6 bad skipped"), s.describe());
    // The counts are saved beside the tables.
    JsonNode saved = new ObjectMapper().readTree(Path.of(PrepareJob.dataDir(cfg), "summary.json").toFile());
    assertEquals(1, saved.get("badRecords").get("INVALID_UTF8").asInt());
    assertEquals(6, saved.get("badExamples").size());
  }

  @Test
  void emptyInputIsAnErrorEvenWhenSkipping() throws Exception {
    Path f = dir.resolve("empty.jsonl");
    Files.writeString(f, "\n\n");
    DataException e = assertThrows(DataException.class,
        () -> PrepareJob.run(LocalSpark.get(), config(f, "data.on_bad_record=skip")));
    assertTrue(e.getMessage().contains("no valid instruction records (empty input)"), e.getMessage());

    Path allBad = dir.resolve("allbad.jsonl");
    Files.writeString(allBad, "{\"instruction\":\"x\"}\n");
    e = assertThrows(DataException.class,
        () -> PrepareJob.run(LocalSpark.get(), config(allBad, "data.on_bad_record=skip")));
    assertTrue(e.getMessage().contains("all 1 were bad"), e.getMessage());
  }

  @Test
  void jsonArrayFilesAreReadWithElementLines() throws Exception {
    Path f = dir.resolve("arr.json");
    Files.writeString(f, "[\n" + GOOD + ",\n" + GOOD + ",\n{\"instruction\":\"x\",\"response\":7}\n]\n");
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), config(f)));
    assertEquals(f + " line 4, field 'response': expected a string, got a number", e.getMessage());
    Files.writeString(f, "[\n" + GOOD + ",\n" + GOOD + "\n]\n");
    assertEquals(2, PrepareJob.run(LocalSpark.get(), config(f)).records());
  }

  @Test
  void parquetRowsAreValidatedWithRowNumbersAndColumnTypes() throws Exception {
    SparkSession spark = LocalSpark.get();
    StructType schema = new StructType().add("instruction", DataTypes.StringType)
        .add("response", DataTypes.StringType).add("category", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create("a", "b", "c"), RowFactory.create("a", null, "c"),
        RowFactory.create("d", "e", "c"));
    Path out = dir.resolve("pq");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out.toString());
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, config(out)));
    assertTrue(e.getMessage().matches(".*part-.*\\.parquet line 2, field 'response': missing.*"), e.getMessage());
    assertEquals(2, PrepareJob.run(spark, config(out, "data.on_bad_record=skip")).records());

    Path typed = dir.resolve("typed");
    spark.createDataFrame(List.of(RowFactory.create(1, "b")),
            new StructType().add("instruction", DataTypes.IntegerType).add("response", DataTypes.StringType))
        .write().parquet(typed.toString());
    e = assertThrows(DataException.class, () -> PrepareJob.run(spark, config(typed)));
    assertTrue(e.getMessage().contains("column 'instruction' must be a string column, got int"), e.getMessage());
  }

  @Test
  void missingInputPathNamesTheKey() {
    DataException e = assertThrows(DataException.class,
        () -> PrepareJob.run(LocalSpark.get(), config(dir.resolve("nope.jsonl"))));
    assertTrue(e.getMessage().contains("nope.jsonl: no such file or directory (data.path)"), e.getMessage());
  }
}
