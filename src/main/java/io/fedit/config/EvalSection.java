package io.fedit.config;

import java.util.List;

/**
 * Held-out evaluation: which instruction set, how often inside train/round, how records longer than
 * data.cutoff_len are cut, and when greedy answers are generated (the expensive part).
 *
 * @param path                 instruction data (any format the readers accept); the split named {@code split}
 * @param format               as data.format
 * @param split                the split's name in the eval tables (e.g. dolly_test, heldout)
 * @param everyRounds          evaluate the global adapter every N rounds inside train/round; 0 = off
 * @param truncate             {@code context}: shorten the context so the response and EOS fit;
 *                             {@code response}: cut the end as training does
 * @param generateEveryRounds  also generate greedy answers every N rounds (and at federation.rounds); 0 = only then
 * @param maxNewTokens         greedy answer budget per record (stops earlier at EOS)
 * @param vicunaPath           Vicuna-80 style questions (question_id, category, turns) answered with the
 *                             generations; empty = off
 * @param partitions           Spark tasks the records are spread over; 0 = the job's default parallelism
 * @param holdoutRecords       training records held out by the seed before partitioning (never trained on),
 *                             evaluated as split "heldout"; 0 = none
 * @param validationRecords    further records held out for tuning, split "validation"; 0 = none
 */
public record EvalSection(
    String path,
    String format,
    String split,
    int everyRounds,
    String truncate,
    int generateEveryRounds,
    int maxNewTokens,
    String vicunaPath,
    int partitions,
    int holdoutRecords,
    int validationRecords) implements java.io.Serializable {
  public static final List<String> TRUNCATE = List.of("context", "response");

  public EvalSection {
    Require.nonBlank("eval.path", path);
    format = Require.oneOf("eval.format", format, DataSection.FORMATS);
    Require.nonBlank("eval.split", split);
    if (!split.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("eval.split must match [A-Za-z0-9_.-]+, got '" + split + "'");
    }
    Require.nonNegative("eval.every_rounds", everyRounds);
    truncate = Require.oneOf("eval.truncate", truncate, TRUNCATE);
    Require.nonNegative("eval.generate_every_rounds", generateEveryRounds);
    Require.nonNegative("eval.max_new_tokens", maxNewTokens);
    vicunaPath = vicunaPath == null ? "" : vicunaPath.trim();
    Require.nonNegative("eval.partitions", partitions);
    Require.nonNegative("eval.holdout_records", holdoutRecords);
    Require.nonNegative("eval.validation_records", validationRecords);
  }

  public boolean enabled() {
    return everyRounds > 0;
  }

  public boolean vicuna() {
    return !vicunaPath.isEmpty();
  }

  /** Whether round {@code r} of a run aiming at {@code lastRound} is evaluated inside train/round. */
  public boolean evaluatesRound(int r, int lastRound) {
    return enabled() && (r % everyRounds == 0 || r == lastRound);
  }

  /** Whether round {@code r}'s evaluation also generates answers (round 0, the base model, always does). */
  public boolean generatesRound(int r, int lastRound) {
    if (maxNewTokens == 0) return false;
    return r == 0 || r == lastRound || (generateEveryRounds > 0 && r % generateEveryRounds == 0);
  }
}
