package io.fedit.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.config.RunConfig;
import io.fedit.fs.FileHashes;
import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What prepared data depends on: the data and partition settings, the seed, the tokenizer's content and
 * each input file's path, size and content hash ({@link FileHashes#content}: the filesystem's checksum
 * where it has one, else SHA-256). Equal fingerprints mean a rerun of {@code prepare} would write the same
 * tables; a file changed in place is detected even when its size and modification time are unchanged.
 */
final class InputFingerprint {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private InputFingerprint() {}

  static String of(RunConfig cfg, Configuration conf) {
    ObjectNode root = JSON.createObjectNode();
    root.put("seed", cfg.run().seed());
    root.set("data", JSON.valueToTree(cfg.data()));
    root.set("partition", JSON.valueToTree(cfg.partition()));
    // Only when set, so data prepared before held-out splits existed keeps its fingerprint.
    if (cfg.eval().holdoutRecords() > 0) root.put("holdout_records", cfg.eval().holdoutRecords());
    if (cfg.eval().validationRecords() > 0) root.put("validation_records", cfg.eval().validationRecords());
    ArrayNode files = root.putArray("files");
    try {
      Path tok = new Path(cfg.model().path() + "/tokenizer.json");
      FileSystem tfs = HadoopPaths.fs(tok.toString(), conf);
      root.put("tokenizer", tfs.getFileStatus(tok).getPath() + " " + FileHashes.content(tfs, tok));
      Path p = new Path(cfg.data().path());
      FileSystem fs = HadoopPaths.fs(cfg.data().path(), conf);
      if (fs.exists(p)) {
        var it = fs.listFiles(p, true);
        java.util.List<String> lines = new java.util.ArrayList<>();
        while (it.hasNext()) {
          var f = it.next();
          lines.add(f.getPath() + " " + f.getLen() + " " + FileHashes.content(fs, f.getPath()));
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
}
