package io.fedit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real in-process HDFS (one NameNode, one DataNode) for a test class; close it in @AfterAll. */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final Path baseDir;

  public MiniHdfs() throws IOException {
    baseDir = Files.createTempDirectory("fedit-hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(1).build();
    cluster.waitActive();
  }

  /** hdfs://host:port */
  public String uri() {
    return cluster.getURI().toString();
  }

  /** The client configuration of this cluster. */
  public Configuration conf() {
    return cluster.getConfiguration(0);
  }

  /** The host names the DataNodes registered with (what block locations report). */
  public java.util.List<String> datanodeHosts() {
    return cluster.getDataNodes().stream().map(d -> d.getDatanodeId().getHostName()).toList();
  }

  public FileSystem fs() throws IOException {
    return cluster.getFileSystem();
  }

  /** Copies a local file to {@code hdfsPath} (absolute, e.g. /data/x.jsonl) and returns its full URI. */
  public String put(Path local, String hdfsPath) throws IOException {
    fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(hdfsPath));
    return uri() + hdfsPath;
  }

  @Override
  public void close() throws IOException {
    cluster.shutdown(true);
    org.apache.commons.io.FileUtils.deleteQuietly(baseDir.toFile());
  }
}
