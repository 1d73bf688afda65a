package io.fedit.experiment;

/**
 * One row of experiment/results: one (arm, seed, member, split, category). NaN where the table holds null.
 *
 * @param arm        "fedit", "local_only", "centralized" or "base"
 * @param member     the client id for local_only, "" for the other arms
 * @param category   a category, or "ALL"
 * @param examples   eval records of the split (category)
 * @param tokens     response tokens scored
 * @param ciLow      2.5% bootstrap quantile of the response loss over eval records (NaN: none)
 * @param ciHigh     97.5% quantile
 */
public record ExperimentRow(String arm, long seed, String member, String split, String category, long examples,
    long tokens, double responseLoss, double allLoss, double rougeL, double ciLow, double ciHigh) {
  public static final String FEDIT = "fedit", LOCAL_ONLY = "local_only", CENTRALIZED = "centralized", BASE = "base";
  public static final java.util.List<String> ARMS = java.util.List.of(BASE, LOCAL_ONLY, FEDIT, CENTRALIZED);
}
