package io.fedit.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;

/**
 * Hadoop creates files and directories with explicit permissions masked by its own setting
 * ({@code fs.permissions.umask-mode}, default 022), not by the process umask, so a user running with
 * umask 027 or 077 would still get world-readable run directories on the local filesystem. The mask given to
 * Hadoop is the union of both: it never allows more than the process umask or the configured mask does.
 */
public final class ProcessUmask {
  public static final String HADOOP_KEY = "fs.permissions.umask-mode";

  private ProcessUmask() {}

  /** The process umask from /proc/self/status (Linux); empty where it cannot be read. */
  public static OptionalInt read() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) return OptionalInt.of(Integer.parseInt(line.substring(6).trim(), 8));
      }
    } catch (IOException | RuntimeException unreadable) {
      // not Linux, or no procfs: keep Hadoop's configured mask
    }
    return OptionalInt.empty();
  }

  /** The octal mask for Hadoop: configured mask (core-site.xml, default 022) OR the process umask. */
  public static String forHadoop(Configuration conf) {
    int configured = Integer.parseInt(conf.get(HADOOP_KEY, "022"), 8);
    return String.format("%03o", configured | read().orElse(0));
  }
}
