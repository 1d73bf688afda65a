package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.ConfigException;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --seeds: a count, a range or a list; a large bare number (likely meant as one seed) is refused. */
class ExperimentSeedsTest {
  private final RunConfig cfg = ConfigLoader.load(null, List.of("run.seed=42", "experiment.seeds=3"));

  @Test
  void countsRangesAndLists() {
    assertEquals(List.of(42L, 43L, 44L), Experiment.seeds(cfg, null), "experiment.seeds as a count from run.seed");
    assertEquals(List.of(42L, 43L), Experiment.seeds(cfg, "2"));
    assertEquals(List.of(43L, 44L, 45L), Experiment.seeds(cfg, "43-45"));
    assertEquals(List.of(7L), Experiment.seeds(cfg, "7,"));
    assertEquals(List.of(9L, 7L), Experiment.seeds(cfg, "9, 7, 9"), "order kept, duplicates dropped");
    assertEquals(20, Experiment.seeds(cfg, "20").size());
  }

  @Test
  void mistakesAreRefusedWithTheFix() {
    ConfigException e = assertThrows(ConfigException.class, () -> Experiment.seeds(cfg, "42"));
    assertTrue(e.getMessage().contains("--seeds 42,") && e.getMessage().contains("42-83"), e.getMessage());
    assertThrows(ConfigException.class, () -> Experiment.seeds(cfg, "45-43"));
    assertThrows(ConfigException.class, () -> Experiment.seeds(cfg, "0"));
    assertThrows(ConfigException.class, () -> Experiment.seeds(cfg, "x"));
    assertThrows(ConfigException.class, () -> Experiment.seeds(cfg, ","));
  }

  @Test
  void aCountEqualToRunSeedIsRefusedAsAmbiguous() {
    // Issue 21 §6: with run.seed 3, "--seeds 3" most likely means the one seed 3, not the seeds 3, 4 and 5.
    RunConfig small = ConfigLoader.load(null, List.of("run.seed=3"));
    ConfigException e = assertThrows(ConfigException.class, () -> Experiment.seeds(small, "3"));
    assertTrue(e.getMessage().contains("--seeds 3,") && e.getMessage().contains("3-5"), e.getMessage());
    assertEquals(List.of(3L), Experiment.seeds(small, "3,"));
    assertEquals(List.of(3L, 4L, 5L), Experiment.seeds(small, "3-5"));
    assertEquals(List.of(3L, 4L), Experiment.seeds(small, "2"), "a count unlike run.seed is still a count");
    assertEquals(List.of(1L), Experiment.seeds(ConfigLoader.load(null, List.of("run.seed=1")), "1"),
        "with run.seed 1, --seeds 1 is the one seed 1 either way");
  }
}
