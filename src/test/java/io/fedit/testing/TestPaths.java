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

  /** Every n-th line of the Dolly training set (all categories) as dir/dolly-every-n.jsonl, written once. */
  public static Path dollySample(Path dir, int n) throws java.io.IOException {
    Path f = dir.resolve("dolly-every-" + n + ".jsonl");
    if (!java.nio.file.Files.exists(f)) {
      java.util.List<String> lines = java.nio.file.Files.readAllLines(dollyTrain());
      java.util.List<String> sample = new java.util.ArrayList<>();
      for (int i = 0; i < lines.size(); i += n) sample.add(lines.get(i));
      java.nio.file.Files.write(f, sample);
    }
    return f;
  }
}
