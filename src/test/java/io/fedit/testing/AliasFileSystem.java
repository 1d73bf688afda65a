package io.fedit.testing;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Local files under a scheme of their own, {@code fedittest:///abs/path}, known only where the job's Hadoop
 * configuration says {@code fs.fedittest.impl=io.fedit.testing.AliasFileSystem}: code that builds a fresh
 * {@code new Configuration()} cannot open such paths. Tests use it to prove that settings arrive.
 */
public class AliasFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "fedittest";
  private static final URI NAME = URI.create(SCHEME + ":///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  // Without Hadoop's native library, the local file statuses load permissions lazily through
  // new File(URI), which accepts only file: URIs. Statuses with plain permissions avoid that.
  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return plain(super.getFileStatus(f));
  }

  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    return plain(super.getFileLinkStatus(f));
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    FileStatus[] in = super.listStatus(f);
    FileStatus[] out = new FileStatus[in.length];
    for (int i = 0; i < in.length; i++) out[i] = plain(in[i]);
    return out;
  }

  private static FileStatus plain(FileStatus s) {
    FsPermission perm = s.isDirectory() ? FsPermission.getDirDefault() : FsPermission.getFileDefault();
    return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(), s.getModificationTime(),
        s.getAccessTime(), perm, "fedit", "fedit", s.getPath());
  }
}
