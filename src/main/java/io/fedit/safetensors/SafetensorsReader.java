package io.fedit.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a .safetensors file from any Hadoop filesystem (local paths, file://, hdfs://).
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of JSON ({name: {dtype, shape, data_offsets}},
 * optionally "__metadata__"), then the data section. The header is validated when the file is opened:
 * every tensor's byte range must match its dtype and shape and lie inside the file, so a truncated file
 * fails at open, naming the first tensor that does not fit.
 */
public final class SafetensorsReader implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Headers above this are not plausible (the format's reference reader caps at 100 MB too). */
  private static final long MAX_HEADER = 100L << 20;

  private final String source;
  private final FSDataInputStream in;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsReader(String source, FSDataInputStream in, long fileLength) throws IOException {
    this.source = source;
    this.in = in;
    if (fileLength < 8) throw new SafetensorsException(source + " is truncated: " + fileLength + " bytes, no header length");
    byte[] lenBytes = new byte[8];
    in.readFully(0, lenBytes);
    long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen <= 0 || headerLen > MAX_HEADER) {
      throw new SafetensorsException(source + " has an implausible header length " + headerLen);
    }
    if (8 + headerLen > fileLength) {
      throw new SafetensorsException(source + " is truncated: header needs " + headerLen + " bytes, file has "
          + fileLength);
    }
    byte[] header = new byte[(int) headerLen];
    in.readFully(8, header);
    this.dataStart = 8 + headerLen;
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      throw new SafetensorsException(source + " has a header that is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new SafetensorsException(source + " header is not a JSON object");
    Map<String, TensorInfo> t = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    long dataLength = fileLength - dataStart;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      TensorInfo info = parseEntry(e.getKey(), e.getValue());
      if (info.end() > dataLength) {
        throw new SafetensorsException(source + " is truncated: tensor '" + info.name() + "' ends at data byte "
            + info.end() + " but the data section holds " + dataLength + " bytes");
      }
      t.put(info.name(), info);
    }
    this.tensors = Collections.unmodifiableMap(t);
    this.metadata = Collections.unmodifiableMap(meta);
  }

  private TensorInfo parseEntry(String name, JsonNode node) {
    DType dtype = DType.parse(node.path("dtype").asText(null), name);
    JsonNode shapeNode = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new SafetensorsException(source + ": tensor '" + name + "' lacks a shape or data_offsets [begin, end]");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong(-1);
    TensorInfo info = new TensorInfo(name, dtype, shape, offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
    if (info.begin() < 0 || info.end() < info.begin() || info.numel() < 0
        || info.end() - info.begin() != info.numel() * dtype.bytes()) {
      throw new SafetensorsException(source + ": tensor '" + name + "' byte range [" + info.begin() + ", "
          + info.end() + ") does not match " + dtype + " of " + info.numel() + " elements");
    }
    return info;
  }

  /** Opens a local file. */
  public static SafetensorsReader open(java.nio.file.Path file) throws IOException {
    return open(new Path(file.toAbsolutePath().toUri()), new Configuration());
  }

  /** Opens a file on any Hadoop filesystem. */
  public static SafetensorsReader open(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    long length = fs.getFileStatus(path).getLen();
    FSDataInputStream in = fs.open(path);
    try {
      return new SafetensorsReader(path.toString(), in, length);
    } catch (RuntimeException | IOException e) {
      in.close();
      throw e;
    }
  }

  /** Tensor name to header entry, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public List<String> names() {
    return new ArrayList<>(tensors.keySet());
  }

  /** The optional "__metadata__" string map. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Byte offset of the data section in the file (tensor offsets are relative to it). */
  public long dataStart() {
    return dataStart;
  }

  public String source() {
    return source;
  }

  /** The tensor's raw little-endian bytes. */
  public byte[] readBytes(String name) throws IOException {
    TensorInfo info = info(name);
    long n = info.end() - info.begin();
    if (n > Integer.MAX_VALUE - 16) throw new SafetensorsException(source + ": tensor '" + name + "' is over 2 GB");
    byte[] buf = new byte[(int) n];
    try {
      in.readFully(dataStart + info.begin(), buf);
    } catch (EOFException e) {
      throw new SafetensorsException(source + " is truncated while reading tensor '" + name + "'", e);
    }
    return buf;
  }

  /** The tensor as float32 values (row-major), converting F16 and BF16. */
  public float[] readFloats(String name) throws IOException {
    TensorInfo info = info(name);
    ByteBuffer buf = ByteBuffer.wrap(readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) info.numel()];
    switch (info.dtype()) {
      case F32 -> buf.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) out[i] = DType.f16ToFloat(buf.getShort());
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) out[i] = DType.bf16ToFloat(buf.getShort());
      }
    }
    return out;
  }

  /** The header entry, or an error naming the missing tensor. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) throw new SafetensorsException(source + " has no tensor '" + name + "'");
    return info;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
