package io.fedit.job;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every configured command shares: a YAML file and --set overrides. */
public final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML file with settings over conf/default.yaml")
  Path configFile;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Override one setting, e.g. --set partition.num_clients=10 (repeatable)")
  List<String> overrides = new ArrayList<>();

  /** Defaults, then the file, then the overrides; {@code extra} are appended last (command options). */
  public RunConfig load(List<String> extra) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(extra);
    return ConfigLoader.load(configFile, all);
  }
}
