package io.fedit.round;

import io.fedit.fs.ContentHashCache;
import io.fedit.fs.FileHashes;
import io.fedit.layout.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content hashes of what a run depends on, recorded in every round's manifest and used as the key of
 * the executors' model cache: the base model (config.json and every *.safetensors file), the tokenizer,
 * and the prepared data (its fingerprint file). Every byte of every weight file is hashed, whatever its size:
 * a tensor overwritten in place is another base model. The model's hash is computed once per (path, length,
 * mtime) of its files and kept in the user's {@link ContentHashCache}: a 16 GB model costs one full read (about
 * 67 s at the 0.24 GB/s measured on a loaded 2-core machine), then milliseconds; see docs/MODEL_CHECKS.md.
 *
 * <p>Until 2026-12 files over {@link #LEGACY_FULL_HASH_LIMIT} were hashed by their safetensors header and size
 * only ({@link #legacyModel}); manifests of such runs still match their model ({@link #sameModel}). For models whose
 * files are all below that size both forms are the same value, so no recorded identity changed.
 */
public final class InputHashes {
  /** Files above this size were fingerprinted by header and size only in manifests written before 2026-12. */
  static final long LEGACY_FULL_HASH_LIMIT = 512L << 20;
  private static final Logger LOG = LoggerFactory.getLogger(InputHashes.class);

  private InputHashes() {}

  public static Map<String, String> of(String modelPath, String preparedDataDir, Configuration conf) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("base_model", model(modelPath, conf));
    out.put("tokenizer", file(modelPath + "/tokenizer.json", conf));
    out.put("data", file(preparedDataDir + "/" + RunLayout.PREPARE_FINGERPRINT_FILE, conf));
    return out;
  }

  /** sha256 over config.json and the weight files in name order (each: name, length in decimal, content), cached. */
  public static String model(String modelPath, Configuration conf) {
    return model(modelPath, conf, ContentHashCache.standard());
  }

  /** As {@link #model(String, Configuration)} with the given cache. */
  public static String model(String modelPath, Configuration conf, ContentHashCache cache) {
    try {
      Path dir = new Path(modelPath);
      FileSystem fs = dir.getFileSystem(conf);
      List<FileStatus> files = modelFiles(fs, dir);
      return cache.get("base_model sha256 v1", files, () -> digest(fs, files, Long.MAX_VALUE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash model at " + modelPath + ": " + e.getMessage(), e);
    }
  }

  /** The form manifests recorded before 2026-12: weight files over 512 MiB by header and size only. Not cached. */
  public static String legacyModel(String modelPath, Configuration conf) {
    try {
      Path dir = new Path(modelPath);
      FileSystem fs = dir.getFileSystem(conf);
      return digest(fs, modelFiles(fs, dir), LEGACY_FULL_HASH_LIMIT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash model at " + modelPath + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a manifest's recorded base_model names the model whose hash is {@code now}: equal, or, for runs
   * recorded before 2026-12 on a model with weight files over 512 MiB, equal to the header-only form (which
   * cannot see tensors overwritten in place; logged). The old form is only computed when the values differ.
   */
  public static boolean sameModel(String recorded, String now, String modelPath, Configuration conf) {
    if (recorded.equals(now)) return true;
    if (!hasLegacyPartialFiles(modelPath, conf) || !recorded.equals(legacyModel(modelPath, conf))) return false;
    LOG.warn("base model {}: this run's manifest recorded the identity of before 2026-12 (header and size of "
        + "weight files over 512 MiB); accepted for this old run, and the next committed round records the full "
        + "content hash", modelPath);
    return true;
  }

  /** Whether a weight file is over the old limit (else both forms are one value, and nothing is read again). */
  private static boolean hasLegacyPartialFiles(String modelPath, Configuration conf) {
    try {
      Path dir = new Path(modelPath);
      FileSystem fs = dir.getFileSystem(conf);
      return modelFiles(fs, dir).stream().skip(1).anyMatch(f -> f.getLen() > LEGACY_FULL_HASH_LIMIT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list model at " + modelPath + ": " + e.getMessage(), e);
    }
  }

  /** config.json, then the *.safetensors files in name order. */
  private static List<FileStatus> modelFiles(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> weights = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isFile() && s.getPath().getName().endsWith(".safetensors")) weights.add(s);
    }
    weights.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    List<FileStatus> files = new ArrayList<>();
    files.add(fs.getFileStatus(new Path(dir, "config.json")));
    files.addAll(weights);
    return files;
  }

  /** The model hash over {@code files} (config.json first); weight files above {@code fullLimit} by header only. */
  private static String digest(FileSystem fs, List<FileStatus> files, long fullLimit) throws IOException {
    MessageDigest md = FileHashes.sha256();
    FileHashes.update(md, fs, files.get(0).getPath(), Long.MAX_VALUE);
    for (FileStatus w : files.subList(1, files.size())) {
      md.update(w.getPath().getName().getBytes(StandardCharsets.UTF_8));
      md.update(Long.toString(w.getLen()).getBytes(StandardCharsets.UTF_8));
      FileHashes.update(md, fs, w.getPath(), w.getLen() <= fullLimit ? Long.MAX_VALUE : headerLength(fs, w.getPath()));
    }
    return HexFormat.of().formatHex(md.digest());
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
