package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 §5: what a careless user writes into a configuration is refused with the key and the value. */
class CarelessConfigTest {
  @TempDir Path dir;

  private ConfigException refusedFile(String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of()));
  }

  private static ConfigException refusedSet(String override) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of(override)));
  }

  private static void noJacksonInternals(ConfigException e) {
    for (String internal : List.of("CoercionConfig", "java.util", "java.lang", "`", "com.fasterxml")) {
      assertFalse(e.getMessage().contains(internal), "no Jackson internals in: " + e.getMessage());
    }
  }

  @Test
  void fractionsForIntegerSettingsAreRefusedNotTruncated() throws Exception {
    ConfigException e = refusedSet("lora.r=8.5");
    assertEquals("configuration key 'lora.r': expected an integer, got 8.5", e.getMessage());
    e = refusedFile("partition:\n  num_clients: 4.9\n");
    assertEquals("configuration key 'partition.num_clients': expected an integer, got 4.9", e.getMessage());
    assertEquals(8, ConfigLoader.load(null, List.of("lora.r=8")).lora().r(), "whole numbers still work");
  }

  @Test
  void typeErrorsNameTheKeyAndValueWithoutJacksonInternals() throws Exception {
    ConfigException e = refusedSet("lora.target_modules=q_proj");
    assertEquals("configuration key 'lora.target_modules': expected a list, got 'q_proj'", e.getMessage());
    noJacksonInternals(e);
    e = refusedSet("run.name=[a, b]");
    assertEquals("configuration key 'run.name': expected a string, got a list [\"a\",\"b\"]", e.getMessage());
    noJacksonInternals(e);
    e = refusedFile("train:\n  learning_rate: fast\n");
    assertTrue(e.getMessage().startsWith("configuration key 'train.learning_rate': expected a number, got 'fast'"),
        e.getMessage());
    noJacksonInternals(e);
  }

  @Test
  void yamlAliasesAndAnchorsAreRefusedWithTheirLine() throws Exception {
    // Jackson's tree reader turned *m into the string "m": the run would have been named "m".
    ConfigException e = refusedFile("run:\n  name: x\nmodel:\n  dtype: float32\nrun2: &m 3\n");
    assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("anchor '&m'"), e.getMessage());
    e = refusedFile("run:\n  name: *m\n");
    assertTrue(e.getMessage().contains("c.yaml line 2, column 9") && e.getMessage().contains("alias '*m'"),
        e.getMessage());
    e = refusedSet("run.name=*m");
    assertTrue(e.getMessage().startsWith("--set run.name line 1, column 1: YAML alias '*m'"), e.getMessage());
    // An alias bomb is refused at its first anchor, before anything is expanded.
    e = refusedFile("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
    assertTrue(e.getMessage().contains("anchor '&a'"), e.getMessage());
  }
}
