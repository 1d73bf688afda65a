package io.fedit.eval;

/**
 * One row of metrics/eval_metrics: one (round, adapter, split, category). Losses are NaN where the table
 * holds null.
 *
 * @param round          0 = the base model; r = the global adapter after round r; -1 = a PEFT directory
 *                       evaluated on its own (evaluate --adapter)
 * @param category       a category, or "ALL"
 * @param examples       records
 * @param scoredExamples records with at least one response token left after truncation
 * @param tokens         response tokens scored (response + EOS after truncation)
 * @param responseLoss   token-weighted mean NLL over those tokens (NaN when tokens = 0)
 * @param allTokens      every predicted token
 * @param allLoss        token-weighted mean NLL over every predicted token
 * @param rougeL         mean ROUGE-L F1 of the greedy answers (NaN when not generated)
 * @param wallMs         wall time of the whole evaluation (same on every row of it)
 */
public record EvalMetricsRow(int round, String adapter, String split, String category, long examples,
    long scoredExamples, long tokens, double responseLoss, long allTokens, double allLoss, double rougeL,
    long wallMs) {
  public static final String ALL = "ALL";

  public double responsePerplexity() {
    return Math.exp(responseLoss);
  }

  public double allPerplexity() {
    return Math.exp(allLoss);
  }

  public EvalMetricsRow withWallMs(long ms) {
    return new EvalMetricsRow(round, adapter, split, category, examples, scoredExamples, tokens, responseLoss,
        allTokens, allLoss, rougeL, ms);
  }
}
