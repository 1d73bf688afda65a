package io.fedit.eval;

import java.io.Serializable;

/**
 * What a task returns for one record: sums, not means, so the driver can add them in a fixed order.
 * Losses are natural-log NLL sums over the record's positions, accumulated in double.
 *
 * @param responseTokens targets scored as response (response tokens + EOS left after truncation)
 * @param responseNll    sum of -log p over those targets
 * @param allTokens      every predicted target (n - 1 for n tokens)
 * @param allNll         sum of -log p over every predicted target
 * @param answer         greedy answer text, or null when not generated
 * @param finishReason   "eos" or "length" (null when not generated)
 */
public record RecordScore(long recordId, String category, long responseTokens, double responseNll, long allTokens,
    double allNll, String answer, String finishReason) implements Serializable {}
