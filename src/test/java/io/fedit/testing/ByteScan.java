package io.fedit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds a string's bytes in files (text or binary, such as Parquet), for leak tests. */
public final class ByteScan {
  private ByteScan() {}

  public static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }

  /** Every regular file under {@code root} (a file or a directory) that holds {@code text} as UTF-8 bytes. */
  public static List<Path> filesContaining(Path root, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    if (!Files.exists(root)) return hits;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (contains(Files.readAllBytes(p), needle)) hits.add(p);
      }
    }
    return hits;
  }
}
