package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.fs.QualifiedPaths;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepared data is reused for the same inputs wherever they live (another checkout, another mount), including
 * runs prepared when the fingerprint still held absolute paths; other inputs are refused, naming what differs.
 */
class PrepareFingerprintTest {
  @TempDir Path dir;

  @Test
  void sameInputsElsewhereAreReusedAndOtherInputsRefusedByName() throws Exception {
    SparkSession spark = LocalSpark.get();
    Path here = Files.createDirectories(dir.resolve("checkout-a"));
    Path there = Files.createDirectories(dir.resolve("checkout-b"));
    Path data = TestPaths.dollySample(here, 100);
    Path moved = Files.copy(data, there.resolve(data.getFileName()));
    String[] settings = {"partition.method=iid", "partition.num_clients=4", "partition.min_records_per_client=1"};
    RunConfig a = withData(Configs.forTest(dir.resolve("runs"), settings), data);
    assertFalse(PrepareJob.run(spark, a).reused());

    RunConfig b = withData(Configs.forTest(dir.resolve("runs"), settings), moved);
    assertTrue(PrepareJob.run(spark, b).reused(), "the same file content at another path is the same input");

    // A run prepared by an earlier version stored absolute paths: still reused.
    RunConfig qualified = QualifiedPaths.of(a, spark.sparkContext().hadoopConfiguration());
    Path fp = Path.of(java.net.URI.create(PrepareJob.dataDir(qualified) + "/fingerprint.json"));
    Files.writeString(fp, InputFingerprint.legacy(qualified, spark.sparkContext().hadoopConfiguration()));
    Files.deleteIfExists(fp.resolveSibling(".fingerprint.json.crc"));
    assertTrue(PrepareJob.run(spark, a).reused(), "legacy fingerprint accepted");

    Files.writeString(moved, Files.readString(moved).replaceFirst("\"instruction\": \"", "\"instruction\": \"X"));
    DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, b));
    assertTrue(e.getMessage().matches("(?s).*differs in: [^)]*files.*"), e.getMessage());
    RunConfig other = withData(Configs.forTest(dir.resolve("runs"), "partition.method=iid", "partition.num_clients=5",
        "partition.min_records_per_client=1"), data);
    e = assertThrows(DataException.class, () -> PrepareJob.run(spark, other));
    assertTrue(e.getMessage().contains("differs in: partition.num_clients)"), e.getMessage());
  }

  private static RunConfig withData(RunConfig cfg, Path data) {
    return io.fedit.config.ConfigLoader.withStrings(cfg, java.util.Map.of("data.path", data.toString()));
  }
}
