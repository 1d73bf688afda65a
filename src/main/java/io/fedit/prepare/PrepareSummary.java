package io.fedit.prepare;

import io.fedit.fs.HadoopPaths;
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

  /**
   * The same summary, marked as reused by a rerun: with the directory it was found in now (the data may
   * have been copied from another run) and the time this check took, not the original run's.
   */
  public PrepareSummary asReused(String outputNow, double secondsNow) {
    return new PrepareSummary(input, outputNow, records, badRecords, badExamples, method, clients, minClientRecords,
        medianClientRecords, maxClientRecords, meanCategoriesPerClient, categorySkew, tokens, cutoffLen,
        overCutoffShare, secondsNow, true);
  }

  public String describe() {
    long bad = badRecords.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "prepare: %s%n", reused ? "already prepared with the same inputs; reused" : "done"));
    sb.append(String.format(Locale.ROOT, "  input            %s%n", HadoopPaths.display(input)));
    sb.append(String.format(Locale.ROOT, "  records          %,d valid, %,d bad skipped %s%n", records, bad, bad == 0 ? "" : badRecords));
    for (String where : badExamples) sb.append(String.format(Locale.ROOT, "    skipped        %s%n", where));
    if (bad > badExamples.size()) {
      sb.append(String.format(Locale.ROOT, "    skipped        ... and %,d more (counts above)%n", bad - badExamples.size()));
    }
    sb.append(String.format(Locale.ROOT, "  clients          %d (%s); records per client min %d / median %d / max %d%n",
        clients, method, minClientRecords, medianClientRecords, maxClientRecords));
    if (method.equals("column")) {
      sb.append(String.format(Locale.ROOT, "                   (one client per value of the key column: "
          + "partition.num_clients is not used)%n"));
    }
    sb.append(String.format(Locale.ROOT, "  category mix     %.2f categories per client; skew %.3f (0 = same mix as the whole data)%n",
        meanCategoriesPerClient, categorySkew));
    sb.append(String.format(Locale.ROOT, "  tokens           %,d; %.1f%% of records exceed cutoff_len %d%n",
        tokens, 100 * overCutoffShare, cutoffLen));
    sb.append(String.format(Locale.ROOT, "  output           %s (clients/, client_stats/, summary.json)%n", HadoopPaths.display(output)));
    sb.append(String.format(Locale.ROOT, "  time             %.1f s", seconds));
    return sb.toString();
  }
}
