package io.fedit.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.config.RunConfig;
import io.fedit.data.InputFiles;
import io.fedit.fs.FileHashes;
import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What prepared data depends on: the data settings (but not where the data lives), the partition settings, the
 * seed, the held-out sizes, the tokenizer's content and each input file's path relative to {@code data.path},
 * size and content hash ({@link FileHashes#content}: the filesystem's checksum where it has one, else SHA-256),
 * over the files {@link InputFiles} lists (hidden ones included, links not followed).
 * Equal fingerprints mean a rerun of {@code prepare} would write the same tables; a file changed in place is
 * detected even when its size and modification time are unchanged. Nothing in it is an absolute path, so a run
 * directory resumes from another checkout or mount of the same inputs.
 *
 * <p>Runs prepared before 2026-11-27 (session 4) stored the {@link #legacy} form, with absolute paths; it is still
 * accepted for them.
 */
final class InputFingerprint {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private InputFingerprint() {}

  /** The fingerprint (JSON text) of {@code cfg}'s inputs; paths in cfg must be qualified. */
  static String of(RunConfig cfg, Configuration conf) {
    return build(cfg, conf, false);
  }

  /** The form stored before session 4: the same content with absolute paths of the data, files and tokenizer. */
  static String legacy(RunConfig cfg, Configuration conf) {
    return build(cfg, conf, true);
  }

  private static String build(RunConfig cfg, Configuration conf, boolean legacy) {
    ObjectNode root = JSON.createObjectNode();
    root.put("seed", cfg.run().seed());
    ObjectNode data = JSON.valueToTree(cfg.data());
    if (!legacy) data.remove("path"); // the files' contents below identify the data
    root.set("data", data);
    root.set("partition", JSON.valueToTree(cfg.partition()));
    // Only when set, so data prepared before held-out splits existed keeps its fingerprint.
    if (cfg.eval().holdoutRecords() > 0) root.put("holdout_records", cfg.eval().holdoutRecords());
    if (cfg.eval().validationRecords() > 0) root.put("validation_records", cfg.eval().validationRecords());
    ArrayNode files = root.putArray("files");
    try {
      Path tok = new Path(cfg.model().path() + "/tokenizer.json");
      FileSystem tfs = HadoopPaths.fs(tok.toString(), conf);
      String tokHash = FileHashes.content(tfs, tok);
      root.put("tokenizer", legacy ? tfs.getFileStatus(tok).getPath() + " " + tokHash : tokHash);
      try (InputFiles listed = InputFiles.list(cfg.data().path(), conf)) {
        List<String> lines = new ArrayList<>();
        for (InputFiles.InputFile f : listed.all()) {
          String name = legacy ? f.uri() : f.relative();
          lines.add(name + " " + f.length() + " " + listed.contentHash(f));
        }
        lines.sort(null);
        lines.forEach(files::add);
      }
      return JSON.writeValueAsString(root);
    } catch (java.io.FileNotFoundException e) {
      throw new io.fedit.data.DataException("model.path: no tokenizer.json at " + cfg.model().path());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The top-level parts (seed, data, partition, holdout_records, validation_records, tokenizer, files) in which
   * two fingerprints differ, for the error that refuses a mismatch; empty when they are equal.
   */
  static List<String> differences(String stored, String now) {
    try {
      JsonNode a = JSON.readTree(stored), b = JSON.readTree(now);
      Set<String> keys = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      List<String> out = new ArrayList<>();
      for (String k : keys) {
        JsonNode x = a.get(k), y = b.get(k);
        if (x == null || !x.equals(y)) out.add(k + (x != null && y != null && x.isObject() ? fields(x, y) : ""));
      }
      return out;
    } catch (IOException e) {
      return List.of("(the stored fingerprint.json is not readable JSON)");
    }
  }

  private static String fields(JsonNode a, JsonNode b) {
    List<String> out = new ArrayList<>();
    a.fieldNames().forEachRemaining(f -> {
      if (!a.get(f).equals(b.get(f))) out.add(f);
    });
    b.fieldNames().forEachRemaining(f -> {
      if (a.get(f) == null) out.add(f);
    });
    // As the configuration spells the keys (the fingerprint keeps the record components' names).
    return out.isEmpty() ? "" : "." + String.join("/", out.stream()
        .map(f -> f.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT)).toList());
  }
}
