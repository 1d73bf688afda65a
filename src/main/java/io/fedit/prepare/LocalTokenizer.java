package io.fedit.prepare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokenizer reaches executors as broadcast bytes (it is small, and this needs no filesystem set-up
 * on executors); the native tokenizer wants a file, so each JVM writes each distinct content once.
 */
final class LocalTokenizer {
  private static final ConcurrentHashMap<String, Path> FILES = new ConcurrentHashMap<>();

  private LocalTokenizer() {}

  static Path path(byte[] tokenizerJson) {
    String key = sha256(tokenizerJson);
    return FILES.computeIfAbsent(key, k -> {
      try {
        Path dir = Files.createTempDirectory("fedit-tokenizer-" + k.substring(0, 12));
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, tokenizerJson);
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
