package io.fedit.testing;

import java.nio.file.Path;

/** Where the repository's shipped files are, for tests. */
public final class TestPaths {
  private TestPaths() {}

  public static Path root() {
    return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
  }

  public static Path data(String relative) {
    return root().resolve("data").resolve(relative);
  }

  public static Path dollyTrain() {
    return data("dolly15k/train.jsonl");
  }

  public static Path dollyTest() {
    return data("dolly15k/test.jsonl");
  }

  public static Path tinyModel() {
    return data("stories260K-hf");
  }
}
