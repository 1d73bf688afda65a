package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.fs.ContentHashCache;
import io.fedit.testing.TestPaths;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base model's identity (manifest key base_model, the executors' model cache key) follows every byte of
 * every weight file whatever its size, is computed once per (path, length, mtime), and old runs that recorded
 * the header-only form of large files still resume.
 */
class BaseModelIdentityTest {
  /** Above the size (512 MiB) that was once fingerprinted by header and size only. */
  static final long LARGE = 600L << 20;

  @TempDir Path tmp;

  /** A model directory with config.json and one sparse safetensors file of {@code size} bytes (a tiny header, then zeros). */
  static Path sparseModel(Path dir, long size) throws Exception {
    Files.createDirectories(dir);
    Files.copy(TestPaths.tinyModel().resolve("config.json"), dir.resolve("config.json"));
    byte[] header = "{\"__metadata__\":{}}".getBytes(StandardCharsets.US_ASCII);
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model-00001-of-00001.safetensors").toFile(), "rw")) {
      f.write(new byte[] {(byte) header.length, 0, 0, 0, 0, 0, 0, 0});
      f.write(header);
      f.setLength(size);
    }
    return dir;
  }

  static void overwriteInPlace(Path file, long offset) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(new byte[] {0x7f, 0x7f, 0x7f, 0x7f});
    }
  }

  @Test
  void aTensorOverwrittenInPlaceInALargeFileChangesTheIdentity() throws Exception {
    Path model = sparseModel(tmp.resolve("big"), LARGE);
    ContentHashCache cache = new ContentHashCache(tmp.resolve("cache"), 64L << 20);
    Configuration conf = new Configuration();
    String before = InputHashes.model(model.toString(), conf, cache);
    overwriteInPlace(model.resolve("model-00001-of-00001.safetensors"), LARGE / 2);
    String after = InputHashes.model(model.toString(), conf, cache);
    assertNotEquals(before, after, "same size and header, other bytes: another base model");
  }

  @Test
  void smallModelsKeepTheIdentityTheirManifestsRecorded() {
    // sha256(config.json, then per weight file: name, length in decimal, content), as committed rounds of runs on
    // the shipped model hold it.
    assertEquals("bbb9c683bf18cd094a90b52301f0674d9d41c30ce6618c9dd4091ffe843e3548",
        InputHashes.model(TestPaths.tinyModel().toString(), new Configuration()));
  }

  @Test
  void theHashIsCachedByPathLengthAndMtimeAndRecomputedWhenEitherChanges() throws Exception {
    Path model = sparseModel(tmp.resolve("big"), LARGE);
    Path weights = model.resolve("model-00001-of-00001.safetensors");
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(weights, old);
    Files.setLastModifiedTime(model.resolve("config.json"), old);
    ContentHashCache cache = new ContentHashCache(tmp.resolve("cache"), 64L << 20);
    Configuration conf = new Configuration();
    String first = InputHashes.model(model.toString(), conf, cache);
    assertTrue(Files.list(tmp.resolve("cache")).findAny().isPresent(), "an entry was written");
    // Bytes changed behind the cache's back with length and mtime restored: the cached value is returned (the
    // documented limit of a (path, length, mtime) key, as for rsync and git's index).
    overwriteInPlace(weights, LARGE / 2);
    Files.setLastModifiedTime(weights, old);
    assertEquals(first, InputHashes.model(model.toString(), conf, cache));
    // An ordinary write moves the mtime: recomputed.
    Files.setLastModifiedTime(weights, FileTime.fromMillis(old.toMillis() + 1000));
    assertNotEquals(first, InputHashes.model(model.toString(), conf, cache));
  }

  @Test
  void aFileModifiedJustNowIsNotCached() throws Exception {
    Path model = sparseModel(tmp.resolve("big"), LARGE);
    ContentHashCache cache = new ContentHashCache(tmp.resolve("cache"), 64L << 20);
    InputHashes.model(model.toString(), new Configuration(), cache);
    // Its mtime could still be shared by a write in the same clock tick: no entry.
    assertTrue(!Files.exists(tmp.resolve("cache")) || Files.list(tmp.resolve("cache")).findAny().isEmpty());
  }

  @Test
  void oldRunsThatRecordedTheHeaderOnlyFormStillMatchTheirModel() throws Exception {
    Path model = sparseModel(tmp.resolve("big"), LARGE);
    Configuration conf = new Configuration();
    ContentHashCache cache = new ContentHashCache(tmp.resolve("cache"), 64L << 20);
    String legacy = InputHashes.legacyModel(model.toString(), conf);
    String now = InputHashes.model(model.toString(), conf, cache);
    assertNotEquals(legacy, now);
    assertTrue(InputHashes.sameModel(legacy, now, model.toString(), conf), "the old form is accepted for old runs");
    assertTrue(InputHashes.sameModel(now, now, model.toString(), conf));
    assertTrue(!InputHashes.sameModel("0".repeat(64), now, model.toString(), conf));
  }
}
