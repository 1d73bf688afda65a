package io.fedit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory outside the Java heap, for leak tests: the process's resident set minus the committed Java heap,
 * after a GC (which also frees the direct buffers of closed arrays). Raw RSS also moves with heap growth
 * caused by whatever else the test JVM ran, which is not what a native leak test is about.
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
