package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §4: run.name is one path segment, so the run stays inside output.dir. Before, ".." put the run beside
 * output.dir and "." made output.dir itself the run.
 */
class RunNameTest {
  @TempDir Path dir;

  private static void refused(String name, String shown) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("run.name=" + name)), name);
    assertTrue(e.getMessage().startsWith("invalid configuration: run.name must be one folder name of letters, "
        + "digits, '.', '_' and '-' not starting with '.'"), e.getMessage());
    assertTrue(e.getMessage().endsWith(", got '" + shown + "'"), e.getMessage());
  }

  @Test
  void dotsSlashesAndHiddenNamesAreRefusedNamingTheKey() {
    refused(".", ".");
    refused("..", "..");
    refused(".hidden", ".hidden");
    refused("../escape", "../escape");
    refused("a/b", "a/b");
    refused("a\\b", "a\\b");
    refused("\"/abs\"", "/abs");
  }

  @Test
  void controlCharactersAreRefusedAndShownEscaped() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "run:\n  name: \"a\\tb\\u0007\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of()));
    assertTrue(e.getMessage().contains("run.name must be one folder name"), e.getMessage());
    assertTrue(e.getMessage().endsWith(", got 'a\\u0009b\\u0007'"), e.getMessage());
  }

  @Test
  void ordinaryNamesStillWork() throws Exception {
    for (String name : List.of("dolly-fedit", "shards10", "run_2024.01.01", "_scratch", "-x", "v1.2")) {
      RunConfig cfg = ConfigLoader.load(null, List.of("run.name=" + name));
      assertEquals(name, cfg.run().name());
      assertTrue(cfg.runDir().endsWith("/" + name), cfg.runDir());
    }
  }
}
