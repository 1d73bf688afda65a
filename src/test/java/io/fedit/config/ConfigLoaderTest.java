package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void differencesNameEachChangedKey() {
    RunConfig a = ConfigLoader.defaults();
    RunConfig b = ConfigLoader.load(null, java.util.List.of("train.learning_rate=0.5", "eval.split=other"));
    assertEquals(java.util.List.of(), ConfigLoader.differences(a, a));
    assertEquals(java.util.List.of("train.learning_rate: " + a.train().learningRate() + " -> 0.5", "eval.split: \"dolly_test\" -> \"other\""),
        ConfigLoader.differences(a, b));
  }

  @Test
  void defaultsLoadFromTheShippedYaml() {
    RunConfig c = ConfigLoader.defaults();
    assertEquals("dolly-fedit", c.run().name());
    assertEquals(100, c.partition().numClients());
    assertEquals(List.of("q_proj", "v_proj"), c.lora().targetModules());
    assertEquals(2.0, c.lora().scaling(), 1e-12);
    assertEquals("runs/dolly-fedit", c.runDir());
  }

  @Test
  void setOverridesParseTypedValues() {
    RunConfig c = ConfigLoader.load(null, List.of("partition.num_clients=10", "partition.alpha=0.1",
        "lora.target_modules=[q_proj, k_proj, o_proj]", "lora.use_rslora=true", "data.client_key_column=tenant"));
    assertEquals(10, c.partition().numClients());
    assertEquals(0.1, c.partition().alpha());
    assertEquals(List.of("q_proj", "k_proj", "o_proj"), c.lora().targetModules());
    assertEquals(16 / Math.sqrt(8), c.lora().scaling(), 1e-12);
    assertEquals("tenant", c.data().clientKeyColumn());
  }

  @Test
  void userFileMergesOverDefaultsAndOverridesWin(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("my.yaml");
    Files.writeString(f, "partition:\n  method: iid\n  num_clients: 7\ntrain:\n  learning_rate: 1.0e-3\n");
    RunConfig c = ConfigLoader.load(f, List.of("partition.num_clients=9"));
    assertEquals("iid", c.partition().method());
    assertEquals(9, c.partition().numClients());
    assertEquals(1e-3, c.train().learningRate());
    assertEquals(8, c.lora().r());
  }

  @Test
  void unknownKeyIsRejectedWithItsPath(@TempDir Path dir) throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("partition.num_clientz=3")));
    assertTrue(e.getMessage().contains("unknown configuration key 'partition.num_clientz'"), e.getMessage());
    assertTrue(e.getMessage().contains("partition.num_clients"), "lists the known keys: " + e.getMessage());

    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "lora:\n  rank: 4\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of()));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'lora.rank'"), e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("nosuch.key=1")));
    assertTrue(e.getMessage().contains("'nosuch'"), e.getMessage());
  }

  @Test
  void typeErrorNamesTheKeyAndTheValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, List.of("lora.r=eight")));
    assertTrue(e.getMessage().contains("'lora.r'") && e.getMessage().contains("an integer")
        && e.getMessage().contains("eight"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.group_by_length=maybe")));
    assertTrue(e.getMessage().contains("'train.group_by_length'"), e.getMessage());
  }

  @Test
  void invalidValuesNameKeyAndValue() {
    assertMessage("lora.r must be > 0, got 0", "lora.r=0");
    assertMessage("partition.method must be one of [category_shards, dirichlet, iid, column], got random",
        "partition.method=random");
    assertMessage("lora.dropout must be in [0.0, 1.0), got 1.5", "lora.dropout=1.5");
    assertMessage("train.batch_size (10) must be a multiple of train.micro_batch_size (4)", "train.batch_size=10");
    assertMessage("partition.method 'column' needs data.client_key_column", "partition.method=column");
    assertMessage("federation.client_fraction must be in (0, 1], got 2.0", "federation.client_fraction=2");
    assertMessage("lora.target_modules must contain only", "lora.target_modules=[q_proj, w_proj]");
  }

  @Test
  void yamlRoundTripGivesTheSameConfig() {
    RunConfig c = ConfigLoader.load(null, List.of("partition.alpha=0.25", "run.seed=7"));
    assertEquals(c, ConfigLoader.fromYaml(ConfigLoader.toYaml(c)));
  }

  private static void assertMessage(String expected, String override) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of(override)));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
