package io.fedit.checkpoint;

import io.fedit.lora.AdapterWeights;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One client's update as the executor that trained it leaves it for the round's aggregation: a flat binary
 * file that a task can read any coordinate range of without reading the rest (what the block-wise aggregation
 * needs; a Parquet list column cannot be sliced like that). Owner of the format:
 * <pre>
 *   "FEDUPD01"                                      8 bytes magic
 *   int32 tensor count T, then per tensor: UTF name, int32 rank, int64 dims...   (Java DataOutput, big endian)
 *   float32 values of all tensors, concatenated in header order, little endian     (V values)
 *   int32 CRC32C of each chunk of 65,536 values (the last chunk may be shorter), little endian
 * </pre>
 * A reader of a range checks the CRC of every chunk the range touches, so a damaged or truncated file fails the
 * task that reads it, naming the file. Values are written as they are: a round trip is bit-exact.
 */
public final class UpdateFile {
  static final byte[] MAGIC = "FEDUPD01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Values per checksummed chunk. */
  static final int CHUNK = 65_536;

  private UpdateFile() {}

  /** Names and shapes of the tensors, where the values start, and how many there are. */
  public record Header(Map<String, long[]> shapes, long dataOffset, long valueCount) {
    long chunkCount() {
      return (valueCount + CHUNK - 1) / CHUNK;
    }

    long fileLength() {
      return dataOffset + 4 * valueCount + 4 * chunkCount();
    }

    /** Null when {@code expected} (name → shape, in order) is this file's layout, else what differs. */
    public String mismatch(Map<String, long[]> expected) {
      if (!new ArrayList<>(shapes.keySet()).equals(new ArrayList<>(expected.keySet()))) {
        return "tensors " + shapes.keySet() + ", expected " + expected.keySet();
      }
      for (Map.Entry<String, long[]> e : expected.entrySet()) {
        if (!java.util.Arrays.equals(shapes.get(e.getKey()), e.getValue())) {
          return "tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(shapes.get(e.getKey()))
              + ", expected " + java.util.Arrays.toString(e.getValue());
        }
      }
      return null;
    }
  }

  /** An adapter's layout as {@link Header#mismatch} takes it: name → shape, in tensor order. */
  public static Map<String, long[]> layoutOf(AdapterWeights adapter) {
    Map<String, long[]> out = new LinkedHashMap<>();
    adapter.tensors().forEach((n, t) -> out.put(n, t.shape().clone()));
    return out;
  }

  /**
   * The filesystem to read and write update files with: a local filesystem without its .crc sidecars (the
   * format has its own CRC32C per chunk, and a second checksum pass would halve the read rate).
   */
  public static FileSystem fileSystem(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    return fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /** Writes {@code adapter} to {@code file} (overwriting); returns the file's length in bytes. */
  public static long write(Configuration conf, Path file, AdapterWeights adapter) throws IOException {
    FileSystem fs = fileSystem(file, conf);
    List<Integer> crcs = new ArrayList<>();
    long length;
    try (OutputStream raw = fs.create(file, true);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
      out.write(MAGIC);
      out.writeInt(adapter.tensors().size());
      for (Map.Entry<String, AdapterWeights.Tensor> e : adapter.tensors().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().shape().length);
        for (long d : e.getValue().shape()) out.writeLong(d);
      }
      ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      CRC32C crc = new CRC32C();
      for (AdapterWeights.Tensor t : adapter.tensors().values()) {
        for (float v : t.values()) {
          buf.putFloat(v);
          if (!buf.hasRemaining()) flushChunk(buf, crc, crcs, out);
        }
      }
      if (buf.position() > 0) flushChunk(buf, crc, crcs, out);
      ByteBuffer tail = ByteBuffer.allocate(4 * crcs.size()).order(ByteOrder.LITTLE_ENDIAN);
      for (int c : crcs) tail.putInt(c);
      out.write(tail.array());
      out.flush();
      length = out.size();
    }
    return length;
  }

  private static void flushChunk(ByteBuffer buf, CRC32C crc, List<Integer> crcs, OutputStream out) throws IOException {
    crc.reset();
    crc.update(buf.array(), 0, buf.position());
    crcs.add((int) crc.getValue());
    out.write(buf.array(), 0, buf.position());
    buf.clear();
  }

  /** Reads and checks the header (magic, shapes, file length). */
  public static Header readHeader(FSDataInputStream in, Path file, long fileLength) throws IOException {
    in.seek(0);
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[MAGIC.length];
    try {
      d.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) throw new CheckpointCorruptException(file + " is not an update file");
      int n = d.readInt();
      if (n < 0 || n > 1_000_000) throw new CheckpointCorruptException(file + ": bad tensor count " + n);
      Map<String, long[]> shapes = new LinkedHashMap<>();
      long values = 0;
      for (int t = 0; t < n; t++) {
        String name = d.readUTF();
        int rank = d.readInt();
        if (rank < 0 || rank > 16) throw new CheckpointCorruptException(file + ": tensor " + name + " has rank " + rank);
        long[] dims = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
          dims[i] = d.readLong();
          count = Math.multiplyExact(count, dims[i]);
        }
        if (shapes.put(name, dims) != null) throw new CheckpointCorruptException(file + ": tensor " + name + " twice");
        values += count;
      }
      Header h = new Header(shapes, in.getPos(), values);
      if (h.fileLength() != fileLength) {
        throw new CheckpointCorruptException(file + " is " + fileLength + " bytes, its header says " + h.fileLength());
      }
      return h;
    } catch (java.io.EOFException e) {
      throw new CheckpointCorruptException(file + " is truncated", e);
    }
  }

  /**
   * Values [from, from + count) of the concatenated tensors, after checking the CRC of every chunk they touch.
   */
  public static float[] readRange(FSDataInputStream in, Path file, Header h, long from, int count) throws IOException {
    if (from < 0 || count < 0 || from + count > h.valueCount()) {
      throw new IllegalArgumentException(file + ": range " + from + "+" + count + " outside " + h.valueCount() + " values");
    }
    long firstChunk = from / CHUNK;
    long lastChunk = count == 0 ? firstChunk - 1 : (from + count - 1) / CHUNK;
    long start = firstChunk * CHUNK;
    int span = (int) (Math.min(h.valueCount(), (lastChunk + 1) * CHUNK) - start);
    byte[] bytes = new byte[4 * Math.max(span, 0)];
    in.readFully(h.dataOffset() + 4 * start, bytes);
    int chunks = (int) (lastChunk - firstChunk + 1);
    byte[] crcBytes = new byte[4 * Math.max(chunks, 0)];
    in.readFully(h.dataOffset() + 4 * h.valueCount() + 4 * firstChunk, crcBytes);
    ByteBuffer crcs = ByteBuffer.wrap(crcBytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    for (int c = 0; c < chunks; c++) {
      int off = c * 4 * CHUNK;
      int len = Math.min(4 * CHUNK, bytes.length - off);
      crc.reset();
      crc.update(bytes, off, len);
      if ((int) crc.getValue() != crcs.getInt()) {
        throw new CheckpointCorruptException(file + ": chunk " + (firstChunk + c) + " fails its CRC32C check");
      }
    }
    float[] out = new float[count];
    ByteBuffer.wrap(bytes, 4 * (int) (from - start), 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** The whole adapter (tools and tests; aggregation reads ranges). */
  public static AdapterWeights read(Configuration conf, Path file) throws IOException {
    FileSystem fs = fileSystem(file, conf);
    try (FSDataInputStream in = fs.open(file)) {
      Header h = readHeader(in, file, fs.getFileStatus(file).getLen());
      Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
      long at = 0;
      for (Map.Entry<String, long[]> e : h.shapes().entrySet()) {
        long n = 1;
        for (long d : e.getValue()) n *= d;
        out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue(), readRange(in, file, h, at, Math.toIntExact(n))));
        at += n;
      }
      return new AdapterWeights(out);
    }
  }
}
