package io.fedit.seeds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedit.federation.plan.RoundPlan;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.prepare.HoldoutSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the values every seed derivation and shuffle gave before they were gathered here (recorded from the
 * copies in federation/Seeds, partition/Shuffle, prepare/HoldoutSplit, client/BatchPlan, judge/Backoff,
 * federation/ClientSampler and experiment/SeedExperiment). A failure here means existing runs would make other
 * random choices on resume or rerun: partitions, held-out records, sampled clients, batch order.
 */
class SeedsTest {
  @Test
  void theSplitMixChainKeepsItsValues() {
    assertEquals(-8142653116130088363L, Seeds.of(Seeds.SAMPLING, 42, 3));
    assertEquals(7602007211746316666L, Seeds.of(Seeds.SAMPLING, -7, 0));
    assertEquals(5767520810632246578L, Seeds.of(Seeds.CLIENT_TRAINING, 42, 3, "client-7"));
    assertEquals(619479993860091413L, Seeds.of(Seeds.CLIENT_TRAINING, 42, 3, "ünï/code id"));
    assertEquals(-2152535657050944081L, Seeds.mix(0));
    assertEquals(-7995527694508729151L, Seeds.mix(1));
    assertEquals(-3750763034362895579L, Seeds.fnv1a64(""));
    assertEquals(-5808556873153909620L, Seeds.fnv1a64("a"));
  }

  @Test
  void thePartitionersStreamsKeepTheirValues() {
    assertPartitionStream("iid", new int[] {11, 3, 0, 6, 5, 10, 1, 2, 8, 4, 7, 9}, 457013878981396928L,
        "c", "a", "d", "f", "e", "b", "g");
    assertPartitionStream("category_shards", new int[] {5, 3, 7, 6, 0, 1, 8, 9, 4, 10, 2, 11}, -7802106780643369814L,
        "g", "e", "a", "f", "c", "d", "b");
    assertPartitionStream("dirichlet", new int[] {8, 11, 6, 2, 0, 7, 5, 4, 3, 10, 1, 9}, -6879449541626109450L,
        "a", "d", "e", "g", "f", "b", "c");
  }

  private static void assertPartitionStream(String name, int[] permutation, long nextDraw, String... letters) {
    SplittableRandom rng = Seeds.stream(Seeds.saltedByName(42, name));
    int[] a = identity(12);
    Shuffles.shuffle(a, rng);
    assertArrayEquals(permutation, a, name);
    assertEquals(nextDraw, rng.nextLong(), name + ": the stream after the shuffle");
    String[] s = {"a", "b", "c", "d", "e", "f", "g"};
    Shuffles.shuffle(s, Seeds.stream(Seeds.saltedByName(42, name)));
    assertArrayEquals(letters, s, name + " over objects");
  }

  @Test
  void theHeldOutChoiceKeepsItsValues() {
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 1},
        HoldoutSplit.roles(20, 3, 2, 42));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0, 0}, HoldoutSplit.roles(9, 1, 0, -5));
  }

  @Test
  void theEpochOrderKeepsItsValues() {
    // What Collections.shuffle(list, new Random(seed * 1_000_003 + epoch)) gave.
    assertEquals(List.of(5, 4, 2, 8, 3, 7, 1, 11, 9, 0, 6, 10), epochOrder(42, 0));
    assertEquals(List.of(0, 5, 1, 10, 11, 4, 2, 3, 6, 9, 8, 7), epochOrder(42, 1));
  }

  private static List<Integer> epochOrder(long seed, int epoch) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < 12; i++) idx.add(i);
    Shuffles.shuffle(idx, Seeds.legacyStream(Seeds.epoch(seed, epoch)));
    return idx;
  }

  @Test
  void theRetryJitterKeepsItsValues() {
    long[] halves = {500, 1000, 2000, 4000, 8000, 15000};
    long[] jitter = {434, 518, 1851, 3859, 4003, 14228};
    for (int retry = 1; retry <= 6; retry++) {
      assertEquals(jitter[retry - 1], Seeds.stream(Seeds.retry(42, retry)).nextLong(halves[retry - 1] + 1), "retry " + retry);
    }
  }

  @Test
  void theClientSampleKeepsItsValues() {
    List<String> population = new ArrayList<>();
    for (int i = 0; i < 10; i++) population.add("c" + i);
    RoundPlan plan = new ClientSampler(42, 0.3, 1).plan(3, population);
    assertEquals(List.of("c4", "c8", "c9"), plan.clientIds());
    assertEquals(Map.of("c4", -7219062171867337309L, "c8", -4112992278878148743L, "c9", -7012385592493121975L),
        plan.clientSeeds());
  }

  @Test
  void aPartialShuffleDrawsFromTheFrontAndRefusesTooMany() {
    int[] a = identity(10);
    Shuffles.shuffleFront(a, 0, Seeds.stream(1));
    assertArrayEquals(identity(10), a, "nothing drawn, nothing moved");
    int[] b = identity(10);
    Shuffles.shuffleFront(b, 10, Seeds.stream(1));
    assertArrayEquals(identity(10), java.util.Arrays.stream(b).sorted().toArray(), "a permutation");
    assertThrows(IllegalArgumentException.class, () -> Shuffles.shuffleFront(identity(3), 4, Seeds.stream(1)));
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }
}
