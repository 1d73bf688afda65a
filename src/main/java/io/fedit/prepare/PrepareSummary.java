package io.fedit.prepare;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code prepare} did, printed at the end and saved as {@code summary.json} beside the tables.
 *
 * @param badRecords  count per {@link io.fedit.data.BadRecordReason}, all zero unless skipped
 * @param badExamples where the first few skipped records are (file, line, field, reason; no text)
 * @param categorySkew see {@link io.fedit.partition.PartitionStats#categorySkew}
 */
public record PrepareSummary(
    String input,
    String output,
    long records,
    Map<String, Long> badRecords,
    List<String> badExamples,
    String method,
    int clients,
    int minClientRecords,
    int medianClientRecords,
    int maxClientRecords,
    double meanCategoriesPerClient,
    double categorySkew,
    long tokens,
    int cutoffLen,
    double overCutoffShare,
    double seconds,
    boolean reused) {

  /** The same summary, marked as reused by a rerun. */
  public PrepareSummary asReused() {
    return new PrepareSummary(input, output, records, badRecords, badExamples, method, clients, minClientRecords,
        medianClientRecords, maxClientRecords, meanCategoriesPerClient, categorySkew, tokens, cutoffLen,
        overCutoffShare, seconds, true);
  }

  public String describe() {
    long bad = badRecords.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "prepare: %s%n", reused ? "already prepared with the same inputs; reused" : "done"));
    sb.append(String.format(Locale.ROOT, "  input            %s%n", input));
    sb.append(String.format(Locale.ROOT, "  records          %,d valid, %,d bad skipped %s%n", records, bad, bad == 0 ? "" : badRecords));
    sb.append(String.format(Locale.ROOT, "  clients          %d (%s); records per client min %d / median %d / max %d%n",
        clients, method, minClientRecords, medianClientRecords, maxClientRecords));
    sb.append(String.format(Locale.ROOT, "  category mix     %.2f categories per client; skew %.3f (0 = same mix as the whole data)%n",
        meanCategoriesPerClient, categorySkew));
    sb.append(String.format(Locale.ROOT, "  tokens           %,d; %.1f%% of records exceed cutoff_len %d%n",
        tokens, 100 * overCutoffShare, cutoffLen));
    sb.append(String.format(Locale.ROOT, "  output           %s (clients/, client_stats/, summary.json)%n", output));
    sb.append(String.format(Locale.ROOT, "  time             %.1f s", seconds));
    return sb.toString();
  }
}
