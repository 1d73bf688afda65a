package io.fedit.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** SHA-256 of files and bytes, streamed through the Hadoop FileSystem (local or HDFS alike). */
final class Checksums {
  private Checksums() {}

  static RoundManifest.FileEntry of(FileSystem fs, Path file) throws IOException {
    MessageDigest md = sha256();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = fs.open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        size += n;
      }
    } catch (ChecksumException e) {
      // The local filesystem keeps its own .crc files and fails reads of altered data before we can.
      throw new CheckpointCorruptException(file + " is corrupt: " + e.getMessage(), e);
    }
    return new RoundManifest.FileEntry(size, HexFormat.of().formatHex(md.digest()));
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Relative path → checksum of every visible file under dir (hidden .crc files of the local FS skipped). */
  static Map<String, RoundManifest.FileEntry> ofTree(FileSystem fs, Path dir) throws IOException {
    Map<String, RoundManifest.FileEntry> files = new TreeMap<>();
    String base = fs.makeQualified(dir).toUri().getPath();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().startsWith(".")) continue;
      files.put(p.toUri().getPath().substring(base.length() + 1), of(fs, p));
    }
    return files;
  }
}
