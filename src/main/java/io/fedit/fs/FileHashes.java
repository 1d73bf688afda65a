package io.fedit.fs;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Content hashes of files on any Hadoop filesystem. */
public final class FileHashes {
  private FileHashes() {}

  /**
   * What a file holds, as a string that changes whenever its bytes do: the filesystem's own checksum where
   * it keeps one (HDFS: MD5 of block CRCs, computed by the datanodes, so nothing is read here; it also
   * depends on the block size), otherwise the SHA-256 of the content (local files, object stores).
   */
  public static String content(FileSystem fs, Path file) throws IOException {
    FileChecksum own = fs.getFileChecksum(file);
    if (own != null && own.getBytes() != null && own.getBytes().length > 0) {
      return own.getAlgorithmName() + ":" + HexFormat.of().formatHex(own.getBytes());
    }
    MessageDigest md = sha256();
    update(md, fs, file, Long.MAX_VALUE);
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /** Feeds the first {@code limit} bytes of a file into {@code md}. */
  public static void update(MessageDigest md, FileSystem fs, Path p, long limit) throws IOException {
    try (InputStream in = fs.open(p)) {
      byte[] buf = new byte[1 << 16];
      long left = limit;
      int r;
      while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        md.update(buf, 0, r);
        left -= r;
      }
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
