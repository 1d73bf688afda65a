package io.fedit.federation.validation;

import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.lora.AdapterWeights;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The step between collecting updates and aggregating them: every update is checked against the global
 * adapter of the round and either accepted or rejected with a reason. Rejection is a result, not an
 * exception, so one bad client never fails the round; the reasons go into the client metrics table.
 *
 * <p>Checks, in order: the update belongs to this round; a client contributes once (the lowest attempt
 * wins, later attempts of the same client are duplicates); example count > 0; names and shapes equal the
 * global adapter's; all values finite; optionally the L2 distance to the global is at most
 * {@code maxUpdateNorm} (a cheap guard against exploded or poisoned updates; infinite = off).
 */
public final class UpdateValidator {
  /** One checked update; reason is null when accepted. */
  public record Verdict(ClientUpdate update, boolean accepted, String reason, double updateNorm) {
    /** The same verdict about {@code other} (the update without its tensors, as the driver gets it). */
    public Verdict about(ClientUpdate other) {
      return new Verdict(other, accepted, reason, updateNorm);
    }
  }

  /** All verdicts of a round, split for convenience. */
  public record Result(List<Verdict> verdicts) {
    public List<ClientUpdate> accepted() {
      return verdicts.stream().filter(Verdict::accepted).map(Verdict::update).toList();
    }

    public List<Verdict> rejected() {
      return verdicts.stream().filter(v -> !v.accepted()).toList();
    }

    /** Rejected updates as failures, for strategies that count every client that gave nothing usable. */
    public List<ClientFailure> rejectedAsFailures() {
      return rejected().stream().map(v -> new ClientFailure(v.update().round(), v.update().clientId(),
          v.update().attempt(), "rejected: " + v.reason())).toList();
    }
  }

  private final double maxUpdateNorm;

  public UpdateValidator() {
    this(Double.POSITIVE_INFINITY);
  }

  public UpdateValidator(double maxUpdateNorm) {
    if (!(maxUpdateNorm > 0)) throw new IllegalArgumentException("maxUpdateNorm must be > 0, got " + maxUpdateNorm);
    this.maxUpdateNorm = maxUpdateNorm;
  }

  /** Checks one update on its own (no duplicate detection). */
  public Verdict validate(int round, AdapterWeights global, ClientUpdate u) {
    if (u.round() != round) return reject(u, "update is for round " + u.round() + ", expected round " + round);
    if (u.exampleCount() <= 0) return reject(u, "example count must be > 0, got " + u.exampleCount());
    String mismatch = global.layoutMismatch(u.adapter());
    if (mismatch != null) return reject(u, "adapter layout differs from the global adapter: " + mismatch);
    String nonFinite = u.adapter().firstNonFinite();
    if (nonFinite != null) return reject(u, "tensor " + nonFinite + " holds NaN or infinite values");
    double norm = u.adapter().distanceTo(global);
    if (!(norm <= maxUpdateNorm)) {
      return new Verdict(u, false, "update norm " + norm + " exceeds max_update_norm " + maxUpdateNorm, norm);
    }
    return new Verdict(u, true, null, norm);
  }

  /** Checks all updates of a round; verdicts come back in input order. */
  public Result validateAll(int round, AdapterWeights global, List<ClientUpdate> updates) {
    return decideAll(updates.stream().map(u -> validate(round, global, u)).toList());
  }

  /**
   * The round's verdicts from each update's own check (made by {@link #validate}, on the executor that trained
   * it) and the duplicate rule, which needs them all: a client counts once, with its lowest attempt; in input order.
   */
  public static Result decideAll(List<Verdict> checked) {
    java.util.Map<String, Integer> firstAttempt = new java.util.HashMap<>();
    for (Verdict v : checked) firstAttempt.merge(v.update().clientId(), v.update().attempt(), Math::min);
    Set<String> seen = new HashSet<>();
    List<Verdict> out = new ArrayList<>();
    for (Verdict v : checked) {
      ClientUpdate u = v.update();
      if (u.attempt() != firstAttempt.get(u.clientId()) || !seen.add(u.clientId())) {
        out.add(reject(u, "duplicate update: client " + u.clientId() + " attempt "
            + firstAttempt.get(u.clientId()) + " is the one counted"));
      } else {
        out.add(v);
      }
    }
    return new Result(out);
  }

  private static Verdict reject(ClientUpdate u, String reason) {
    return new Verdict(u, false, reason, Double.NaN);
  }
}
