package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A configuration saved in a round's manifest before a section existed (here: eval) still reads, with the
 * section's defaults, so such runs can be resumed.
 */
class SavedConfigCompatibilityTest {
  @Test
  void savedConfigurationWithoutANewerSectionReadsWithItsDefaults() {
    RunConfig cfg = ConfigLoader.load(null, List.of("lora.r=4", "eval.every_rounds=0"));
    String yaml = ConfigLoader.toYaml(cfg);
    String withoutEval = yaml.substring(0, yaml.indexOf("eval:"));
    assertFalse(withoutEval.contains("every_rounds"));
    RunConfig read = ConfigLoader.fromYaml(withoutEval);
    assertEquals(4, read.lora().r(), "saved values are kept");
    assertEquals(ConfigLoader.defaults().eval(), read.eval(), "the missing section gets its defaults");
    assertEquals(cfg, ConfigLoader.fromYaml(yaml), "a complete saved configuration reads back equal");
  }
}
