package io.fedit.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Paths that may be local or on any Hadoop filesystem (hdfs://, s3a://, …). Plain paths without a
 * scheme are local files.
 */
public final class HadoopPaths {
  private HadoopPaths() {}

  public static FileSystem fs(String uri, Configuration conf) {
    try {
      return new Path(uri).getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the filesystem of " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * How a path is shown in messages and summaries: local paths without the file: prefix, and relative to
   * the working directory when they lie under it ({@code runs/dolly-fedit}, not {@code /srv/fedit/runs/...}).
   */
  public static String display(String uri) {
    String local = uri;
    if (uri.startsWith("file:")) {
      String p = new Path(uri).toUri().getPath();
      if (p == null) return uri;
      local = p;
    } else if (new Path(uri).toUri().getScheme() != null) {
      return uri;
    }
    java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
    java.nio.file.Path abs = java.nio.file.Path.of(local).toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : local;
  }
}
