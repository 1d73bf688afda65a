package io.fedit.data;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Hadoop client that lists and fingerprints a remote data path (hdfs://, ...) on the driver, with bounded
 * connection retries, so that a NameNode that is down or unreachable fails {@code prepare} in seconds with one
 * line instead of the Hadoop defaults' 15 minutes (45 retries of a 20 s connect timeout). Only settings the user
 * has not set (in core-site.xml, hdfs-site.xml, spark.hadoop.* or programmatically) are bounded, and only for
 * this client: reading the files in tasks and everything else keep the configured values.
 *
 * <p>The bound, with the values below: a closed port fails at once or after at most {@value #CONNECT_RETRIES}
 * retries one second apart; an address where nothing answers after {@value #CONNECT_TIMEOUT_RETRIES} + 1 connect attempts
 * of {@value #CONNECT_TIMEOUT_MS} ms (15 s); a server that accepts but never answers after the call timeout of
 * {@value #RPC_TIMEOUT_MS} ms. Without HA that is at most 45 s; with HA NameNodes each of the at most
 * {@value #FAILOVER_ATTEMPTS} + 1 attempts is bounded the same way, with at most
 * {@value #FAILOVER_SLEEP_MAX_MS} ms between them.
 */
public final class DataPathClient {
  static final int CONNECT_TIMEOUT_MS = 5_000;
  static final int CONNECT_TIMEOUT_RETRIES = 2;
  static final int CONNECT_RETRIES = 2;
  static final int CONNECT_RETRY_INTERVAL_MS = 1_000;
  static final int RPC_TIMEOUT_MS = 30_000;
  static final int FAILOVER_ATTEMPTS = 2;
  static final int FAILOVER_SLEEP_MAX_MS = 2_000;

  /** Setting -> bounded value, applied where the user set none. */
  static final Map<String, String> BOUNDS = bounds();

  private DataPathClient() {}

  private static Map<String, String> bounds() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ipc.client.connect.timeout", Integer.toString(CONNECT_TIMEOUT_MS));
    m.put("ipc.client.connect.max.retries.on.timeouts", Integer.toString(CONNECT_TIMEOUT_RETRIES));
    m.put("ipc.client.connect.max.retries", Integer.toString(CONNECT_RETRIES));
    m.put("ipc.client.connect.retry.interval", Integer.toString(CONNECT_RETRY_INTERVAL_MS));
    m.put("ipc.client.rpc-timeout.ms", Integer.toString(RPC_TIMEOUT_MS));
    m.put("dfs.client.failover.max.attempts", Integer.toString(FAILOVER_ATTEMPTS));
    m.put("dfs.client.failover.sleep.max.millis", Integer.toString(FAILOVER_SLEEP_MAX_MS));
    return Map.copyOf(m);
  }

  /** A copy of {@code conf} with every bound the user has not set applied. */
  static Configuration bounded(Configuration conf) {
    Configuration out = new Configuration(conf);
    BOUNDS.forEach((key, value) -> {
      if (!userSet(conf, key)) out.set(key, value, DataPathClient.class.getSimpleName());
    });
    return out;
  }

  /** Set anywhere but Hadoop's shipped defaults. */
  static boolean userSet(Configuration conf, String key) {
    String[] sources = conf.getPropertySources(key);
    if (sources == null) return false;
    for (String s : sources) {
      if (!s.equals("core-default.xml") && !s.equals("hdfs-default.xml")) return true;
    }
    return false;
  }

  /** A client of its own (not Hadoop's shared cache, which keeps the first settings per host) for {@code p}. */
  static FileSystem open(Path p, Configuration conf) {
    try {
      return FileSystem.newInstance(p.toUri(), bounded(conf));
    } catch (IOException e) {
      throw unreachable(p.toString(), e);
    } catch (IllegalArgumentException e) { // an unknown host is found while the client starts
      throw unreachable(p.toString(), e);
    }
  }

  /**
   * One line for a data path that could not be listed or read: "did not answer" with the bound when the file
   * system could not be reached, else the failure's first line.
   */
  static DataException unreachable(String path, Exception e) {
    String shown = io.fedit.fs.HadoopPaths.display(path);
    if (isConnectionFailure(e)) {
      return new DataException(shown + ": its file system did not answer (" + firstLine(e) + "); gave up after the "
          + "bounded retries for data paths (see docs/INPUT.md): check the address and that the NameNode is up");
    }
    return new DataException(shown + ": cannot be listed or read (" + firstLine(e) + ")");
  }

  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** The exception's message up to Hadoop's "For more details see" link, on one line. */
  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int more = m.indexOf("; For more details see");
    if (more > 0) m = m.substring(0, more);
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
