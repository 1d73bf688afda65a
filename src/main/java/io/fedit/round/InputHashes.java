package io.fedit.round;

import io.fedit.fs.FileHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Content hashes of what a run depends on, recorded in every round's manifest and used as the key of
 * the executors' model cache: the base model (config.json and every *.safetensors file), the tokenizer,
 * and the prepared data (its fingerprint file). Weight files up to {@link #FULL_HASH_LIMIT} are hashed
 * whole; larger ones by their safetensors header (names, dtypes, shapes, offsets) and size, so that a
 * 14 GB checkpoint is not read at every job start.
 */
public final class InputHashes {
  static final long FULL_HASH_LIMIT = 512L << 20;

  private InputHashes() {}

  public static Map<String, String> of(String modelPath, String preparedDataDir, Configuration conf) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("base_model", model(modelPath, conf));
    out.put("tokenizer", file(modelPath + "/tokenizer.json", conf));
    out.put("data", file(preparedDataDir + "/fingerprint.json", conf));
    return out;
  }

  /** sha256 over config.json and the weight files, in name order. */
  public static String model(String modelPath, Configuration conf) {
    try {
      Path dir = new Path(modelPath);
      FileSystem fs = dir.getFileSystem(conf);
      MessageDigest md = FileHashes.sha256();
      FileHashes.update(md, fs, new Path(dir, "config.json"), Long.MAX_VALUE);
      List<FileStatus> weights = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isFile() && s.getPath().getName().endsWith(".safetensors")) weights.add(s);
      }
      weights.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      for (FileStatus w : weights) {
        md.update(w.getPath().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(Long.toString(w.getLen()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (w.getLen() <= FULL_HASH_LIMIT) {
          FileHashes.update(md, fs, w.getPath(), Long.MAX_VALUE);
        } else {
          FileHashes.update(md, fs, w.getPath(), headerLength(fs, w.getPath()));
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash model at " + modelPath + ": " + e.getMessage(), e);
    }
  }

  static String file(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      MessageDigest md = FileHashes.sha256();
      FileHashes.update(md, p.getFileSystem(conf), p, Long.MAX_VALUE);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + path + ": " + e.getMessage(), e);
    }
  }

  /** 8-byte little-endian header size + the header itself. */
  private static long headerLength(FileSystem fs, Path p) throws IOException {
    try (var in = fs.open(p)) {
      byte[] b = new byte[8];
      in.readFully(b);
      long n = 0;
      for (int i = 7; i >= 0; i--) n = (n << 8) | (b[i] & 0xff);
      return 8 + n;
    }
  }
}
