package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local-only arm's clients: a seeded sample without replacement, pinned to the values it always had. */
class LocalSampleTest {
  @Test
  void theSampleOfASeedNeverChanges() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) ids.add("c" + i);
    assertEquals(List.of("c1", "c4", "c5", "c9"), SeedExperiment.sample(ids, 4, 42));
    assertEquals(ids, SeedExperiment.sample(ids, 20, 42), "all, in id order, when fewer than asked");
  }
}
