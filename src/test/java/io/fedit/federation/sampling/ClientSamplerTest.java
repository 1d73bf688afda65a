package io.fedit.federation.sampling;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.plan.RoundPlan;
import io.fedit.seeds.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
  private static List<String> population(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("client-%03d", i)).toList();
  }

  @Test
  void sameSeedAndRoundGiveTheSamePlanWhateverThePopulationOrder() {
    ClientSampler s = new ClientSampler(42, 0.1, 2);
    List<String> shuffled = new ArrayList<>(population(100));
    Collections.shuffle(shuffled, new java.util.Random(7));
    RoundPlan a = s.plan(3, population(100));
    RoundPlan b = new ClientSampler(42, 0.1, 2).plan(3, shuffled);
    assertEquals(a, b);
  }

  @Test
  void differentRoundsAndSeedsSampleDifferently() {
    ClientSampler s = new ClientSampler(42, 0.1, 2);
    assertNotEquals(s.plan(1, population(100)).clientIds(), s.plan(2, population(100)).clientIds());
    assertNotEquals(s.plan(1, population(100)).clientIds(),
        new ClientSampler(43, 0.1, 2).plan(1, population(100)).clientIds());
  }

  @Test
  void countsFollowFractionMinimumAndCap() {
    assertEquals(5, new ClientSampler(1, 0.05, 2).sampleSize(100));
    assertEquals(7, new ClientSampler(1, 0.07, 2).sampleSize(100)); // not 8 from 7.000000000000001
    assertEquals(2, new ClientSampler(1, 0.05, 2).sampleSize(10)); // ceil(0.5) = 1 < min 2
    assertEquals(3, new ClientSampler(1, 0.05, 5).sampleSize(3)); // capped at N
    assertEquals(10, new ClientSampler(1, 1.0, 1).sampleSize(10));
  }

  @Test
  void planIsSortedDistinctWithinPopulationAndSeedsAreStable() {
    ClientSampler s = new ClientSampler(42, 0.2, 2);
    List<String> pop = population(50);
    for (int round = 0; round < 20; round++) {
      RoundPlan p = s.plan(round, pop);
      assertEquals(10, p.clientIds().size());
      assertEquals(new HashSet<>(p.clientIds()).size(), p.clientIds().size());
      assertTrue(pop.containsAll(p.clientIds()));
      assertEquals(p.clientIds().stream().sorted().toList(), p.clientIds());
      for (String c : p.clientIds()) {
        assertEquals(Seeds.of(Seeds.CLIENT_TRAINING, 42, round, c), p.seedOf(c));
      }
    }
    // Seeds differ between clients of one round and between rounds of one client.
    RoundPlan p = s.plan(1, pop);
    assertEquals(p.clientSeeds().size(), new HashSet<>(p.clientSeeds().values()).size());
    assertNotEquals(Seeds.of(Seeds.CLIENT_TRAINING, 42, 1, "c"), Seeds.of(Seeds.CLIENT_TRAINING, 42, 2, "c"));
  }

  /** Recorded once: a change here silently changes which clients every existing run samples. */
  @Test
  void seedsAndSamplesMatchTheRecordedValues() {
    assertEquals(5676891085636132857L, Seeds.of(Seeds.SAMPLING, 42, 1));
    assertEquals(-479123823737794567L, Seeds.of(Seeds.CLIENT_TRAINING, 42, 1, "client-007"));
    assertEquals(List.of("client-015", "client-031", "client-043", "client-089", "client-096"),
        new ClientSampler(42, 0.05, 2).plan(1, population(100)).clientIds());
  }

  @Test
  void everyClientIsEventuallySampled() {
    ClientSampler s = new ClientSampler(9, 0.1, 1);
    HashSet<String> seen = new HashSet<>();
    for (int round = 0; round < 200; round++) seen.addAll(s.plan(round, population(30)).clientIds());
    assertEquals(30, seen.size());
  }

  @Test
  void rejectsDuplicatesAndEmptyPopulations() {
    ClientSampler s = new ClientSampler(1, 0.5, 1);
    assertThrows(IllegalArgumentException.class, () -> s.plan(1, List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> s.plan(1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ClientSampler(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClientSampler(1, 0.5, 0));
  }

  @Test
  void overSelectionDrawsExtraClientsAndThePlannedSampleIsPartOfIt() {
    assertEquals(0, ClientSampler.extraClients(0, 10));
    assertEquals(3, ClientSampler.extraClients(0.3, 10));
    assertEquals(1, ClientSampler.extraClients(0.3, 2), "a fraction rounds up");
    assertEquals(4, ClientSampler.extraClients(4, 10), "from 1 it is a count");
    ClientSampler plain = new ClientSampler(7, 0.1, 2);
    ClientSampler over = new ClientSampler(7, 0.1, 2, 0.5);
    assertEquals(10, over.sampleSize(100), "the planned number stays");
    assertEquals(15, over.drawSize(100));
    assertEquals(8, new ClientSampler(7, 0.1, 2, 10).drawSize(8), "capped at the population");
    for (int round = 1; round <= 5; round++) {
      List<String> planned = plain.plan(round, population(100)).clientIds();
      List<String> drawn = over.plan(round, population(100)).clientIds();
      assertEquals(15, drawn.size());
      assertTrue(drawn.containsAll(planned), "round " + round + ": " + planned + " within " + drawn);
      assertEquals(drawn, over.plan(round, population(100)).clientIds(), "a pure function of seed and round");
    }
  }
}
