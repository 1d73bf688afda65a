package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §1 through the real Spark pipeline: which files of a data directory are read (symbolic links, names
 * with a colon), Parquet files that disagree on their schema, and whole files in every line-end convention.
 */
class PrepareInputFilesTest {
  @TempDir Path dir;
  private int runs;

  private RunConfig config(Path input, String... more) {
    String[] all = new String[more.length + 3];
    all[0] = "data.path=" + input;
    all[1] = "partition.method=iid";
    all[2] = "partition.num_clients=2";
    System.arraycopy(more, 0, all, 3, more.length);
    return Configs.forTest(dir.resolve("runs" + (runs++)), all);
  }

  private static String record(int i) {
    return "{\"instruction\":\"Say " + i + "\",\"response\":\"Hi " + i + "\",\"category\":\"open_qa\"}";
  }

  /** {@code n} good records, one per line, from {@code first}. */
  private static Path jsonl(Path file, int first, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = first; i < first + n; i++) lines.add(record(i));
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return file;
  }

  @Test
  void aSymbolicLinkLoopIsNotFollowed() throws Exception {
    Path data = dir.resolve("data");
    jsonl(data.resolve("a.jsonl"), 0, 4);
    jsonl(data.resolve("sub/b.jsonl"), 4, 3);
    Files.createSymbolicLink(data.resolve("sub/loop"), data);        // back to the top: a loop
    Files.createSymbolicLink(data.resolve("again.jsonl"), data.resolve("a.jsonl")); // a second name for a file
    PrepareSummary s = PrepareJob.run(LocalSpark.get(), config(data));
    assertEquals(7, s.records(), "each file read once");
  }

  @Test
  void aSymbolicLinkLeavingTheDirectoryIsReported() throws Exception {
    Path data = dir.resolve("data");
    jsonl(data.resolve("a.jsonl"), 0, 4);
    Path elsewhere = jsonl(dir.resolve("elsewhere/x.jsonl"), 10, 2);
    Files.createSymbolicLink(data.resolve("x.jsonl"), elsewhere);
    RunConfig cfg = config(data);
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), cfg));
    assertEquals(data.resolve("x.jsonl") + ": a symbolic link to " + elsewhere + ", outside data.path " + data
        + " (links are not followed out of the data directory: set data.path to the target, or copy the file in)",
        e.getMessage());
    assertFalse(Files.exists(Path.of(PrepareJob.dataDir(cfg))), "nothing written");

    Files.delete(elsewhere);
    e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), config(data)));
    assertTrue(e.getMessage().startsWith(data.resolve("x.jsonl") + ": a symbolic link to a missing file"),
        e.getMessage());
  }

  @Test
  void fileNamesWithAColonOrGlobCharactersAreRead() throws Exception {
    Path data = dir.resolve("exports");
    jsonl(data.resolve("export-2024-01-01T00:00:00.jsonl"), 0, 3);
    jsonl(data.resolve("export-2024-01-02T00:00:00.jsonl"), 3, 2);
    jsonl(data.resolve("tenants a,b {1}[2].jsonl"), 5, 1); // a comma, braces and brackets: not split, not globbed
    assertEquals(6, PrepareJob.run(LocalSpark.get(), config(data)).records());
    // Named directly, too.
    assertEquals(3, PrepareJob.run(LocalSpark.get(),
        config(data.resolve("export-2024-01-01T00:00:00.jsonl"))).records());
  }

  @Test
  void parquetFileNamesWithAColonAreRead() throws Exception {
    SparkSession spark = LocalSpark.get();
    StructType strings = new StructType().add("instruction", DataTypes.StringType)
        .add("response", DataTypes.StringType).add("category", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("a", "b", "c"), RowFactory.create("d", "e", "c")), strings)
        .coalesce(1).write().parquet(dir.resolve("written").toString());
    Path data = dir.resolve("parquet-exports");
    Files.createDirectories(data);
    Files.copy(onlyPart(dir.resolve("written")), data.resolve("export-2024-01-01T00:00:00.parquet"));
    Files.copy(onlyPart(dir.resolve("written")), data.resolve("export-2024-01-02T00:00:00.parquet"));
    assertEquals(4, PrepareJob.run(spark, config(data)).records());
  }

  @Test
  void parquetFilesWithDifferentSchemasAreOneErrorNamingBoth() throws Exception {
    SparkSession spark = LocalSpark.get();
    Path data = dir.resolve("pq");
    StructType strings = new StructType().add("instruction", DataTypes.StringType)
        .add("response", DataTypes.StringType).add("category", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("a", "b", "c")), strings).coalesce(1)
        .write().parquet(dir.resolve("one").toString());
    StructType numbers = new StructType().add("instruction", DataTypes.StringType)
        .add("response", DataTypes.LongType).add("category", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("a", 7L, "c")), numbers).coalesce(1)
        .write().parquet(dir.resolve("two").toString());
    StructType fewer = new StructType().add("instruction", DataTypes.StringType).add("category", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("a", "c")), fewer).coalesce(1)
        .write().parquet(dir.resolve("three").toString());
    Files.createDirectories(data);
    Path first = data.resolve("a.parquet");
    Path second = data.resolve("b.parquet");
    Files.copy(onlyPart(dir.resolve("one")), first);
    Files.copy(onlyPart(dir.resolve("two")), second);

    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, config(data)));
    assertEquals(first + " and " + second + " have different schemas: column 'response' is string in the first, "
        + "int64 in the second (every Parquet file of data.path needs the same columns and types)", e.getMessage());
    e = assertThrows(DataException.class, () -> PrepareJob.run(spark, config(data, "data.on_bad_record=skip")));
    assertTrue(e.getMessage().contains("have different schemas"), e.getMessage());

    Files.delete(second);
    Files.copy(onlyPart(dir.resolve("three")), second);
    e = assertThrows(DataException.class, () -> PrepareJob.run(spark, config(data, "data.on_bad_record=skip")));
    assertTrue(e.getMessage().contains("column 'response' is string in the first, missing in the second"),
        e.getMessage());
  }

  private static Path onlyPart(Path sparkOutput) throws Exception {
    try (var s = Files.list(sparkOutput)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  @Test
  void crOnlyCrlfAndBomFilesGiveEveryRecord() throws Exception {
    Path data = dir.resolve("ends");
    Files.createDirectories(data);
    StringBuilder cr = new StringBuilder();
    StringBuilder crlf = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      cr.append(record(i)).append('\r');
      crlf.append(record(10 + i)).append("\r\n");
    }
    Files.writeString(data.resolve("mac.jsonl"), cr);
    Files.writeString(data.resolve("windows.jsonl"), crlf);
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Files.write(data.resolve("bom.jsonl"), concat(bom, (record(20) + "\n" + record(21) + "\n").getBytes(StandardCharsets.UTF_8)));
    Files.write(data.resolve("bom-array.json"), concat(bom, ("[" + record(30) + ",\r\n" + record(31) + "]")
        .getBytes(StandardCharsets.UTF_8)));
    PrepareSummary s = PrepareJob.run(LocalSpark.get(), config(data));
    assertEquals(14, s.records());
    assertEquals(0L, s.badRecords().values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void twoObjectsOnALineAreCountedAsTrailingContent() throws Exception {
    Path f = dir.resolve("two.jsonl");
    Files.writeString(f, record(0) + "\n" + record(1) + record(2) + "\n" + record(3) + "\n");
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), config(f)));
    assertEquals(f + " line 2: content after the JSON object at column " + (record(1).length() + 1)
        + " (one record per line)", e.getMessage());
    PrepareSummary s = PrepareJob.run(LocalSpark.get(), config(f, "data.on_bad_record=skip"));
    assertEquals(2, s.records());
    assertEquals(1L, s.badRecords().get("TRAILING_CONTENT"));
    assertTrue(s.describe().contains("1 bad skipped"), s.describe());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
