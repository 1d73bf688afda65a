package io.fedit.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Publishing a file or a directory whole: it is written under a hidden temporary name in the directory it goes
 * to, then renamed into place, so a reader (a Spark read of the table, the report, a resumed run) sees all of it
 * or nothing. On failure the temporary is removed; a crash leaves at most the temporary, whose name starts with
 * {@link #TEMP_PREFIX} so that crash clean-ups can find it.
 *
 * <p>What happens to an existing target is the caller's explicit choice ({@link IfExists}): Hadoop's rename does
 * not say it (HDFS refuses to rename a file onto an existing one and moves a directory <em>into</em> an existing
 * one; the local filesystem replaces a file), so the target is checked here first. The check and the rename are
 * two steps: one writer per target is assumed, as everywhere in a run directory.
 *
 * <p>Use {@link #file} (or {@link #bytes}) when the content is written in one go; {@link #stage} when the caller
 * writes the temporary itself over several steps (a Spark job, several files published in a set order);
 * {@link #rename} for the bare last step of a protocol that manages its own temporaries (the round commit).
 */
public final class Publish {
  /** Names of temporaries start with this: '_' hides them from Spark and Hive readers. */
  public static final String TEMP_PREFIX = "_tmp-";

  /** What to do when the target is already there. */
  public enum IfExists {
    /** Fail with {@link FileAlreadyExistsException} naming the target; the target is left as it is. */
    REFUSE,
    /** Delete the target (a file, or an empty directory) just before the rename. */
    REPLACE
  }

  /** Writes the temporary; it does not exist yet when called. */
  public interface Content {
    void writeTo(Path temp) throws IOException;
  }

  private Publish() {}

  /**
   * Writes {@code target} through a hidden temporary beside it. With {@link IfExists#REFUSE} an existing target
   * is refused before anything is written, and again at the rename (another writer may have been faster).
   */
  public static void file(FileSystem fs, Path target, IfExists ifExists, Content content) throws IOException {
    file(fs, target, hiddenTemp(target), ifExists, content);
  }

  /** As {@link #file(FileSystem, Path, IfExists, Content)} with a temporary the caller names (same directory). */
  public static void file(FileSystem fs, Path target, Path temp, IfExists ifExists, Content content)
      throws IOException {
    if (ifExists == IfExists.REFUSE) refuseExisting(fs, target);
    try (Staged staged = stage(fs, target, temp)) {
      content.writeTo(staged.temp());
      staged.publish(ifExists);
    }
  }

  /** {@code bytes} as the whole content of {@code target}. */
  public static void bytes(FileSystem fs, Path target, IfExists ifExists, byte[] bytes) throws IOException {
    file(fs, target, ifExists, temp -> {
      try (OutputStream out = fs.create(temp, false)) {
        out.write(bytes);
      }
    });
  }

  /** A hidden temporary beside {@code target} for the caller to fill, published by {@link Staged#publish}. */
  public static Staged stage(FileSystem fs, Path target) {
    return new Staged(fs, target, hiddenTemp(target));
  }

  /** As {@link #stage(FileSystem, Path)} with a temporary the caller names; it must be in the target's directory. */
  public static Staged stage(FileSystem fs, Path target, Path temp) {
    if (target.getName().isEmpty() || target.getParent() == null) {
      throw new IllegalArgumentException("cannot publish " + target + ": it names no file or directory in a parent");
    }
    if (!temp.getParent().equals(target.getParent())) {
      throw new IllegalArgumentException("the temporary " + temp + " must be in the directory of " + target
          + ": a rename across directories is not a publish (and not atomic on every filesystem)");
    }
    return new Staged(fs, target, temp);
  }

  /** A fresh hidden name beside {@code target}: {@code _tmp-NAME-UUID}. */
  public static Path hiddenTemp(Path target) {
    return new Path(target.getParent(), tempNamePrefix(target) + UUID.randomUUID());
  }

  /** How the names of {@link #hiddenTemp} temporaries of {@code target} start: for clean-ups after a crash. */
  public static String tempNamePrefix(Path target) {
    return TEMP_PREFIX + target.getName() + "-";
  }

  /**
   * Removes what an interrupted publish left in {@code dir}: the entries whose names start with {@code namePrefix}
   * and that were last modified more than {@code minAge} ago (0: all of them, for a caller that knows it is the
   * only writer). A live writer's temporary is younger than {@code minAge}, so it is left alone. Returns the
   * paths removed.
   */
  public static java.util.List<Path> removeLeftovers(FileSystem fs, Path dir, String namePrefix, java.time.Duration minAge)
      throws IOException {
    java.util.List<Path> removed = new java.util.ArrayList<>();
    if (!fs.exists(dir)) return removed;
    long now = System.currentTimeMillis();
    for (var st : fs.listStatus(dir, p -> p.getName().startsWith(namePrefix))) {
      if (now - st.getModificationTime() >= minAge.toMillis() && fs.delete(st.getPath(), true)) {
        removed.add(st.getPath());
      }
    }
    return removed;
  }

  /**
   * The last step alone: renames the complete file or directory {@code from} to {@code to}, doing with an
   * existing {@code to} what {@code ifExists} says; {@code from} is left where it is when this fails. The two are
   * in one directory when this publishes; the other use is moving a complete file into a directory that is
   * itself still a temporary (a client's staged file into the round being committed).
   */
  public static void rename(FileSystem fs, Path from, Path to, IfExists ifExists) throws IOException {
    if (fs.exists(to)) {
      if (ifExists == IfExists.REFUSE) refuseExisting(fs, to);
      if (!fs.delete(to, false)) throw new IOException("cannot delete " + to + " to replace it");
    }
    if (!fs.rename(from, to)) throw new IOException("could not rename " + from + " to " + to);
  }

  private static void refuseExisting(FileSystem fs, Path target) throws IOException {
    if (fs.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists already and replacing it was not asked for");
    }
  }

  /**
   * A temporary on its way to its target. Closing it removes the temporary (recursively: it may be a directory)
   * unless it was published, so a try-with-resources block cleans up after any failure.
   */
  public static final class Staged implements AutoCloseable {
    private final FileSystem fs;
    private final Path target;
    private final Path temp;
    private boolean published;

    private Staged(FileSystem fs, Path target, Path temp) {
      this.fs = fs;
      this.target = target;
      this.temp = temp;
    }

    /** Where to write: nothing exists there yet. */
    public Path temp() {
      return temp;
    }

    public Path target() {
      return target;
    }

    /** Renames the temporary into place ({@link Publish#rename}); at most once. */
    public void publish(IfExists ifExists) throws IOException {
      if (published) throw new IllegalStateException(target + " is already published");
      rename(fs, temp, target, ifExists);
      published = true;
    }

    @Override
    public void close() throws IOException {
      if (!published && fs.exists(temp)) fs.delete(temp, true);
    }
  }
}
