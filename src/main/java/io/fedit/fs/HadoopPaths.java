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

  /** How a path is shown in messages: local paths without the file: prefix. */
  public static String display(String uri) {
    if (uri.startsWith("file:")) {
      String p = new Path(uri).toUri().getPath();
      return p == null ? uri : p;
    }
    return uri;
  }
}
