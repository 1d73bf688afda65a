package io.fedit.federation.attack;

import io.fedit.config.AttackSection;
import io.fedit.federation.update.AdapterMath;
import io.fedit.lora.AdapterWeights;
import io.fedit.seeds.Seeds;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * EXPERIMENTS ONLY ({@code attack.*}): which sampled clients of a round poison their update, and how. The
 * attackers are the {@code malicious_clients_per_round} sampled clients with the smallest seed for
 * (run seed, round, client): a pure function of the round, so a redone round attacks the same way. An attacker
 * trains honestly and then sends x + scale · (θ − x), computed on its executor before the update is written.
 */
public final class AttackSimulation {
  /** Purpose constant of {@link Seeds} for choosing attackers ("ATTACKER"). */
  static final long ATTACKERS = 0x41545441434b4552L;

  private AttackSimulation() {}

  /** The attackers among {@code sampled} in {@code round}; empty when the attack is off. */
  public static Set<String> attackers(AttackSection attack, long seed, int round, List<String> sampled) {
    Set<String> out = new TreeSet<>();
    if (!attack.enabled()) return out;
    sampled.stream().sorted(Comparator.comparingLong((String id) -> Seeds.of(ATTACKERS, seed, round, id))
            .thenComparing(Comparator.naturalOrder()))
        .limit(attack.maliciousClientsPerRound()).forEach(out::add);
    return out;
  }

  /** x + scale · (θ − x), in double, rounded to float32 once per value. */
  public static AdapterWeights poison(AdapterWeights global, AdapterWeights trained, double scale) {
    return AdapterMath.map(v -> v[1] + scale * (v[0] - v[1]), trained, global);
  }
}
