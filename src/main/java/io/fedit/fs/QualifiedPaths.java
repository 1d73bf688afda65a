package io.fedit.fs;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Resolves every configured path once, on the driver, to a fully qualified URI: the default filesystem
 * (fs.defaultFS) and the working directory for relative paths ({@code data/x.jsonl} becomes
 * {@code file:/home/me/fedit/data/x.jsonl} locally, {@code hdfs://nn:8020/user/me/data/x.jsonl} where HDFS is
 * the default). Only the qualified form is shipped: executors run in other directories (a standalone
 * worker's work dir), where a relative path means something else or nothing.
 */
public final class QualifiedPaths {
  /** Every setting that names a path. A new path setting belongs here. */
  public static final List<String> KEYS = List.of("model.path", "data.path", "output.dir", "eval.path",
      "eval.vicuna_path");

  private QualifiedPaths() {}

  public static RunConfig of(RunConfig cfg, Configuration conf) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("model.path", qualify(cfg.model().path(), conf));
    values.put("data.path", qualify(cfg.data().path(), conf));
    values.put("output.dir", qualify(cfg.output().dir(), conf));
    values.put("eval.path", qualify(cfg.eval().path(), conf));
    if (cfg.eval().vicuna()) values.put("eval.vicuna_path", qualify(cfg.eval().vicunaPath(), conf));
    return ConfigLoader.withStrings(cfg, values);
  }

  /** One path, qualified against its filesystem (the default one when it has no scheme). */
  public static String qualify(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      java.net.URI u = p.toUri();
      // Already complete (scheme and authority): nothing to resolve, and no client to start (a NameNode
      // that is only reachable from the cluster must not be contacted here).
      if (u.getScheme() != null && u.getAuthority() != null && p.isAbsolute()) return p.toString();
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new io.fedit.config.ConfigException("'" + path + "' is not a usable path or URI: " + e.getMessage(), e);
    }
  }
}
