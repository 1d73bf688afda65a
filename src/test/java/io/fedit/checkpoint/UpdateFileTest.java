package io.fedit.checkpoint;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.lora.AdapterWeights;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged update format: bit-exact round trip, ranged reads across chunks and tensors, damage detected. */
class UpdateFileTest {
  @TempDir Path dir;

  /** Two tensors: 3×50,000 (crosses two checksum chunks) and 7 values, value i = i · 0.001 − 7 and NaN-free. */
  private static AdapterWeights adapter() {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    float[] a = new float[150_000];
    for (int i = 0; i < a.length; i++) a[i] = i * 0.001f - 7;
    m.put("x.lora_A.weight", new AdapterWeights.Tensor(new long[] {3, 50_000}, a));
    m.put("x.lora_B.weight", new AdapterWeights.Tensor(new long[] {7, 1}, new float[] {1, -0f, Float.MIN_VALUE, 4, 5, 6, 7}));
    return new AdapterWeights(m);
  }

  @Test
  void roundTripIsBitExactAndRangesCrossChunksAndTensors() throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path f = new org.apache.hadoop.fs.Path(dir.resolve("c1-a0.update").toUri());
    AdapterWeights a = adapter();
    long len = UpdateFile.write(conf, f, a);
    FileSystem fs = f.getFileSystem(conf);
    assertEquals(len, fs.getFileStatus(f).getLen());
    assertEquals(a, UpdateFile.read(conf, f));
    try (FSDataInputStream in = fs.open(f)) {
      UpdateFile.Header h = UpdateFile.readHeader(in, f, len);
      assertNull(h.mismatch(UpdateFile.layoutOf(a)));
      float[] r = UpdateFile.readRange(in, f, h, 65_530, 10); // chunk 0 → chunk 1
      for (int j = 0; j < 10; j++) assertEquals(a.get("x.lora_A.weight").values()[65_530 + j], r[j]);
      float[] tail = UpdateFile.readRange(in, f, h, 149_998, 4); // last two of A, first two of B
      assertArrayEquals(new float[] {149_998 * 0.001f - 7, 149_999 * 0.001f - 7, 1, -0f}, tail);
      Map<String, long[]> other = UpdateFile.layoutOf(a);
      other.put("x.lora_B.weight", new long[] {1, 7});
      assertTrue(h.mismatch(other).contains("x.lora_B.weight"), h.mismatch(other));
    }
  }

  /** {@link #adapter()} written to a file named {@code name}: its local path, Hadoop path and length. */
  private record Written(Path local, org.apache.hadoop.fs.Path file, long length, FileSystem fs) {}

  private Written write(String name) throws Exception {
    Configuration conf = new Configuration();
    Path local = dir.resolve(name);
    org.apache.hadoop.fs.Path f = new org.apache.hadoop.fs.Path(local.toUri());
    long len = UpdateFile.write(conf, f, adapter());
    return new Written(local, f, len, UpdateFile.fileSystem(f, conf));
  }

  @Test
  void aFlippedByteFailsTheRangeThatCoversItNamingTheFile() throws Exception {
    Written w = write("c2-a0.update");
    Path local = w.local();
    org.apache.hadoop.fs.Path f = w.file();
    long len = w.length();
    FileSystem fs = w.fs();
    long dataOffset;
    try (FSDataInputStream in = fs.open(f)) {
      dataOffset = UpdateFile.readHeader(in, f, len).dataOffset();
    }
    try (RandomAccessFile raf = new RandomAccessFile(local.toFile(), "rw")) {
      long at = dataOffset + 4L * 70_000; // inside chunk 1
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x40);
    }
    try (FSDataInputStream in = fs.open(f)) {
      UpdateFile.Header h = UpdateFile.readHeader(in, f, len);
      assertEquals(10, UpdateFile.readRange(in, f, h, 0, 10).length); // chunk 0 is intact
      var e = assertThrows(CheckpointCorruptException.class, () -> UpdateFile.readRange(in, f, h, 69_990, 20));
      assertTrue(e.getMessage().contains("c2-a0.update") && e.getMessage().contains("chunk 1"), e.getMessage());
    }
  }

  @Test
  void aTruncatedFileIsRefusedByItsHeader() throws Exception {
    Written w = write("c3-a0.update");
    try (RandomAccessFile raf = new RandomAccessFile(w.local().toFile(), "rw")) {
      raf.setLength(w.length() - 100);
    }
    try (FSDataInputStream in = w.fs().open(w.file())) {
      var e = assertThrows(CheckpointCorruptException.class,
          () -> UpdateFile.readHeader(in, w.file(), w.length() - 100));
      assertTrue(e.getMessage().contains("header says"), e.getMessage());
    }
  }
}
