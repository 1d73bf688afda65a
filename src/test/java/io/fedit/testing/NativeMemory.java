package io.fedit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory outside the Java heap, for leak tests: the process's resident set minus the committed Java heap,
 * after a GC (which also frees the direct buffers of closed arrays). Exact only in a JVM whose heap is fixed
 * and resident from the start (-Xms = -Xmx with -XX:+AlwaysPreTouch): otherwise heap pages touched for the
 * first time also count, as seen in GenerationMemoryTest (80-100 MB "growth" that was heap, 1-4 MB without).
 */
public final class NativeMemory {
  private NativeMemory() {}

  public static long kb() {
    System.gc();
    return rssKb() - Runtime.getRuntime().totalMemory() / 1024;
  }

  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
