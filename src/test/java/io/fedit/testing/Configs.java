package io.fedit.testing;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test configurations: the shipped defaults with absolute data paths and a run directory under a temp dir. */
public final class Configs {
  private Configs() {}

  public static RunConfig forTest(Path outputDir, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("output.dir=" + outputDir.toAbsolutePath());
    all.add("model.path=" + TestPaths.tinyModel());
    all.add("data.path=" + TestPaths.dollyTrain());
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all);
  }
}
