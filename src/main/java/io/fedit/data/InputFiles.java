package io.fedit.data;

import io.fedit.fs.FileHashes;
import io.fedit.fs.HadoopPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files under a data path (a file, or a directory walked recursively), listed once on the driver, for
 * reading and for the input fingerprint. Each file appears once, under the path it has below the data path:
 *
 * <ul>
 *   <li>Symbolic links inside a local data directory are not followed. One that points inside the directory is
 *       skipped (its target is read under its own name, so nothing is read twice and a link back to a parent
 *       cannot loop); one that points outside it, or at nothing, is refused ({@link DataException}), naming
 *       the link and its target. A link that is itself hidden is skipped. The data path itself may be a link.
 *   <li>Hidden names ('_' or '.' first, anywhere below the data path, as Spark hides them) are listed, marked
 *       {@link InputFile#hidden}: the fingerprint covers them, the reader leaves them out. Hadoop's checksum
 *       sidecars ({@code .name.crc}) are not listed, as Hadoop's local listing leaves them out.
 *   <li>Files are read through the local file system's raw form, without .crc sidecars: a name with a colon
 *       ({@code export-2024-01-01T00:00:00.jsonl}) has no valid sidecar path in Hadoop.
 *   <li>A remote file system (hdfs://, ...) is asked through a client with bounded connection retries
 *       ({@link DataPathClient}); when it cannot be reached the error is one line, not a stack trace.
 * </ul>
 */
public final class InputFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InputFiles.class);

  /**
   * One input file.
   *
   * @param uri      the file as Hadoop prints its path ({@code file:/data/x.jsonl}, {@code hdfs://nn:8020/d/x.jsonl})
   * @param relative its path below the data path ('/'-separated); its name when the data path is this file
   * @param length   its size in bytes
   * @param hidden   whether a part of {@code relative} starts with '_' or '.'
   */
  public record InputFile(String uri, String relative, long length, boolean hidden) {}

  private final String root;
  private final FileSystem fs;
  private final boolean ownFs;
  private final boolean single;
  private final List<InputFile> files;

  private InputFiles(String root, FileSystem fs, boolean ownFs, boolean single, List<InputFile> files) {
    this.root = root;
    this.fs = fs;
    this.ownFs = ownFs;
    this.single = single;
    this.files = files;
  }

  /**
   * Lists {@code path}; a missing path, a link that leaves it and a file system that cannot be reached are
   * {@link DataException}s naming the path. Close the result when done (it may hold a client of its own).
   */
  public static InputFiles list(String path, Configuration conf) {
    Path p = new Path(path);
    boolean local = "file".equals(p.toUri().getScheme())
        || p.toUri().getScheme() == null && "file".equals(FileSystem.getDefaultUri(conf).getScheme());
    if (local) return listLocal(p, conf);
    FileSystem fs = DataPathClient.open(p, conf);
    try {
      return listRemote(path, p, fs);
    } catch (RuntimeException e) {
      closeQuietly(fs);
      throw e;
    }
  }

  private static InputFiles listLocal(Path p, Configuration conf) {
    FileSystem raw = readable(HadoopPaths.fs(p.toString(), conf));
    Path qualified = raw.makeQualified(p);
    java.nio.file.Path start = java.nio.file.Path.of(qualified.toUri());
    if (!Files.exists(start)) throw new DataException(p + ": no such file or directory (data.path)");
    List<InputFile> out = new ArrayList<>();
    try {
      if (Files.isRegularFile(start)) {
        out.add(new InputFile(qualified.toString(), start.getFileName().toString(), Files.size(start), false));
        return new InputFiles(qualified.toString(), raw, false, true, out);
      }
      java.nio.file.Path realRoot = start.toRealPath();
      walkLocal(start, start, realRoot, qualified, out);
    } catch (IOException e) {
      throw new DataException(HadoopPaths.display(qualified.toString()) + ": cannot list (" + e + ")");
    }
    out.sort(Comparator.comparing(InputFile::uri));
    return new InputFiles(qualified.toString(), raw, false, false, out);
  }

  /** Depth first; links are checked, never followed. */
  private static void walkLocal(java.nio.file.Path dir, java.nio.file.Path start, java.nio.file.Path realRoot,
      Path qualifiedRoot, List<InputFile> out) throws IOException {
    List<java.nio.file.Path> entries = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(entries::add);
    }
    entries.sort(null);
    for (java.nio.file.Path e : entries) {
      String name = e.getFileName().toString();
      if (name.startsWith(".") && name.endsWith(".crc")) continue; // Hadoop's checksum sidecar
      String relative = start.relativize(e).toString().replace(java.io.File.separatorChar, '/');
      boolean hidden = isHidden(relative);
      if (Files.isSymbolicLink(e)) {
        if (!hidden) checkLink(e, realRoot, qualifiedRoot);
        continue;
      }
      if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
        walkLocal(e, start, realRoot, qualifiedRoot, out);
      } else if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
        String uri = new Path(e.toUri()).toString();
        out.add(new InputFile(uri, relative, Files.size(e), hidden));
      }
    }
  }

  /** A link inside the data directory is skipped (logged); one leading out of it, or to nothing, is refused. */
  private static void checkLink(java.nio.file.Path link, java.nio.file.Path realRoot, Path qualifiedRoot)
      throws IOException {
    String shown = HadoopPaths.display(new Path(link.toUri()).toString());
    java.nio.file.Path target;
    try {
      target = link.toRealPath();
    } catch (java.nio.file.FileSystemException e) { // NoSuchFileException, or a loop of links (ELOOP)
      throw new DataException(shown + ": a symbolic link to a missing file (" + Files.readSymbolicLink(link)
          + "); remove it or restore its target");
    }
    if (!target.startsWith(realRoot)) {
      throw new DataException(shown + ": a symbolic link to " + target + ", outside data.path "
          + HadoopPaths.display(qualifiedRoot.toString()) + " (links are not followed out of the data directory: "
          + "set data.path to the target, or copy the file in)");
    }
    LOG.info("not following {}: a symbolic link to {} inside data.path (read under its own name, once)", shown,
        target);
  }

  private static InputFiles listRemote(String path, Path p, FileSystem fs) {
    try {
      FileStatus status;
      try {
        status = fs.getFileStatus(p);
      } catch (java.io.FileNotFoundException e) {
        throw new DataException(path + ": no such file or directory (data.path)");
      }
      List<InputFile> out = new ArrayList<>();
      if (status.isFile()) {
        out.add(new InputFile(status.getPath().toString(), status.getPath().getName(), status.getLen(), false));
        return new InputFiles(status.getPath().toString(), fs, true, true, out);
      }
      walkRemote(fs, status.getPath(), status.getPath().toUri().getPath(), out);
      out.sort(Comparator.comparing(InputFile::uri));
      return new InputFiles(status.getPath().toString(), fs, true, false, out);
    } catch (IOException e) {
      throw DataPathClient.unreachable(path, e);
    }
  }

  private static void walkRemote(FileSystem fs, Path dir, String base, List<InputFile> out) throws IOException {
    for (FileStatus st : fs.listStatus(dir)) {
      String relative = relative(base, st.getPath());
      boolean hidden = isHidden(relative);
      if (st.isSymlink()) {
        if (hidden) continue;
        throw new DataException(HadoopPaths.display(st.getPath().toString())
            + ": a symbolic link (links are not followed on " + fs.getUri().getScheme()
            + "://; set data.path to the target)");
      }
      if (st.isDirectory()) walkRemote(fs, st.getPath(), base, out);
      else out.add(new InputFile(st.getPath().toString(), relative, st.getLen(), hidden));
    }
  }

  private static String relative(String base, Path file) {
    String f = file.toUri().getPath();
    String prefix = base.endsWith("/") ? base : base + "/";
    return f.startsWith(prefix) ? f.substring(prefix.length()) : f;
  }

  /** Whether a part of a relative path starts with '_' or '.' (Spark's rule for files it does not read). */
  static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) return true;
    }
    return false;
  }

  /**
   * The file system to read input files with: the local one without its .crc sidecars (Hadoop cannot form a
   * sidecar's path for a name with a colon), any other as it is.
   */
  public static FileSystem readable(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /** The data path as listed (qualified). */
  public String root() {
    return root;
  }

  /** Whether the data path is one file (not a directory). */
  public boolean single() {
    return single;
  }

  /** Every file, hidden ones included, sorted by URI. */
  public List<InputFile> all() {
    return files;
  }

  /** The files to read: every file that is not hidden, sorted by URI. */
  public List<InputFile> visible() {
    return files.stream().filter(f -> !f.hidden()).toList();
  }

  /** {@link FileHashes#content} of one listed file, through the same client as the listing. */
  public String contentHash(InputFile f) {
    try {
      return FileHashes.content(fs, new Path(f.uri()));
    } catch (IOException e) {
      throw DataPathClient.unreachable(f.uri(), e);
    }
  }

  @Override
  public void close() {
    if (ownFs) closeQuietly(fs);
  }

  private static void closeQuietly(FileSystem fs) {
    try {
      fs.close();
    } catch (IOException | RuntimeException ignored) {
      // a client that could not reach its server may fail to close too; nothing is left to release
    }
  }
}
