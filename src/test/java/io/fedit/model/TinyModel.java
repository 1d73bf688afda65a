package io.fedit.model;

import java.nio.file.Path;

/** Locates the shipped tiny model for tests. */
final class TinyModel {
  private TinyModel() {}

  static Path dir() {
    return Path.of(System.getProperty("project.root", "."), "data", "stories260K-hf");
  }
}
