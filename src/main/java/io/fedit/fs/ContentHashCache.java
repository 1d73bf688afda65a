package io.fedit.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers a content hash of a set of files so that a multi-GB base model is read once, not at every job
 * start. An entry is keyed by each file's (qualified path, length, modification time) and holds the hash
 * text; any write that moves a length or an mtime makes a new key, so the hash is computed afresh.
 *
 * <p>Shape: one small file per entry, {@code <dir>/<sha256 of the key>}, holding the hash; written to a
 * temporary name and renamed. {@code dir} is a local directory of the user running the driver
 * ({@code $FEDIT_HASH_CACHE}, else {@code $XDG_CACHE_HOME/fedit/content-hashes}, else
 * {@code ~/.cache/fedit/content-hashes}; the system property {@value #DIR_PROPERTY} overrides both), never the
 * model directory, which may be read-only or shared. A cache that cannot be written is skipped: the hash is then
 * computed every time, which is only slower.
 *
 * <p>Limits, as for rsync and git's index: bytes changed while length and mtime are restored (touch -r)
 * go unseen until the entry is removed. Files whose mtime is within {@link #RACY_MILLIS} of the moment the hash
 * starts are not cached, since a second write in the same clock tick would keep the mtime.
 */
public final class ContentHashCache {
  private static final Logger LOG = LoggerFactory.getLogger(ContentHashCache.class);
  public static final String DIR_PROPERTY = "fedit.hash.cache";
  /** Below this many bytes in all, hashing takes well under a second: no entry is kept. */
  public static final long DEFAULT_MIN_BYTES = 64L << 20;
  static final long RACY_MILLIS = 2_000;

  /** What computes the hash on a miss. */
  @FunctionalInterface
  public interface Computation {
    String compute() throws IOException;
  }

  private final Path dir;
  private final long minBytes;

  public ContentHashCache(Path dir, long minBytes) {
    this.dir = dir;
    this.minBytes = minBytes;
  }

  /** The user's cache (see the class comment), for sets of at least {@link #DEFAULT_MIN_BYTES}. */
  public static ContentHashCache standard() {
    return new ContentHashCache(defaultDir(), DEFAULT_MIN_BYTES);
  }

  static Path defaultDir() {
    String prop = System.getProperty(DIR_PROPERTY);
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    String env = System.getenv("FEDIT_HASH_CACHE");
    if (env != null && !env.isBlank()) return Path.of(env);
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("fedit").resolve("content-hashes");
  }

  /**
   * The cached hash of {@code files} under {@code kind} (which names the hash's form, so that two forms never
   * share an entry), or {@code compute}'s result, stored when the files are large and not just modified.
   */
  public String get(String kind, List<FileStatus> files, Computation compute) throws IOException {
    long started = System.currentTimeMillis();
    long bytes = 0;
    boolean racy = false;
    StringBuilder key = new StringBuilder(kind).append('\n');
    for (FileStatus f : files) {
      key.append(f.getPath()).append('\t').append(f.getLen()).append('\t').append(f.getModificationTime()).append('\n');
      bytes += f.getLen();
      racy |= f.getModificationTime() > started - RACY_MILLIS;
    }
    boolean cacheable = bytes >= minBytes;
    Path entry = dir.resolve(HexFormat.of().formatHex(sha256(key.toString())));
    if (cacheable) {
      String hit = read(entry);
      if (hit != null) return hit;
    }
    String hash = compute.compute();
    if (cacheable && !racy) write(entry, hash);
    return hash;
  }

  private static String read(Path entry) {
    try {
      if (!Files.isRegularFile(entry)) return null;
      String s = Files.readString(entry, StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? null : s;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  private void write(Path entry, String hash) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
      Files.writeString(tmp, hash + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.warn("content hash cache {} is not writable ({}); hashes are recomputed each time", dir, e.toString());
    }
  }

  private static byte[] sha256(String s) {
    MessageDigest md = FileHashes.sha256();
    return md.digest(s.getBytes(StandardCharsets.UTF_8));
  }
}
