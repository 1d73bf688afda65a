package io.fedit.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Paths that may be local or on any Hadoop filesystem (hdfs://, s3a://, …). Plain paths without a
 * scheme are local files. Native libraries (the tokenizer) need local files, so remote files are
 * copied once per JVM into a local cache.
 */
public final class HadoopPaths {
  private static final ConcurrentHashMap<String, java.nio.file.Path> LOCAL_COPIES = new ConcurrentHashMap<>();

  private HadoopPaths() {}

  public static FileSystem fs(String uri, Configuration conf) {
    try {
      return new Path(uri).getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the filesystem of " + uri + ": " + e.getMessage(), e);
    }
  }

  /** True when the path names the local filesystem (no scheme, or file:). */
  public static boolean isLocal(String uri) {
    String scheme = new Path(uri).toUri().getScheme();
    return scheme == null || scheme.equals("file");
  }

  /** How a path is shown in messages: local paths without the file: prefix. */
  public static String display(String uri) {
    if (uri.startsWith("file:")) {
      String p = new Path(uri).toUri().getPath();
      return p == null ? uri : p;
    }
    return uri;
  }

  /** A local file with the content of {@code uri}: the file itself when local, else a cached copy. */
  public static java.nio.file.Path localFile(String uri, Configuration conf) {
    if (isLocal(uri)) return java.nio.file.Path.of(new Path(uri).toUri().getPath());
    return LOCAL_COPIES.computeIfAbsent(uri, u -> {
      try {
        Path src = new Path(u);
        java.nio.file.Path dir = Files.createTempDirectory("fedit-copy");
        java.nio.file.Path dst = dir.resolve(src.getName());
        try (InputStream in = src.getFileSystem(conf).open(src)) {
          Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
        }
        dst.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return dst;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + u + " to local disk: " + e.getMessage(), e);
      }
    });
  }
}
