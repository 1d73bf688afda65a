package io.fedit.prepare;

import io.fedit.data.BadRecord;
import io.fedit.data.BadRecordReason;
import io.fedit.data.DataException;
import io.fedit.data.ParseResult;
import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * The bad records of one prepare: a count per {@link BadRecordReason} (every reason present, 0 when none) and
 * the first {@link #BAD_EXAMPLES_KEPT} in (file, line) order. Only counts and these few examples reach the
 * driver.
 *
 * @param counts reason name -> number of bad records, in the enum's order
 * @param total  all bad records
 * @param first  up to BAD_EXAMPLES_KEPT bad records, by position
 */
record BadRecordTally(Map<String, Long> counts, long total, List<BadRecord> first) {
  static final int BAD_EXAMPLES_KEPT = 20;

  /** Counts the failed parse results of {@code parsed} (one Spark job; a second only when there are any). */
  static BadRecordTally of(JavaRDD<ParseResult> parsed) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (BadRecordReason r : BadRecordReason.values()) counts.put(r.name(), 0L);
    JavaRDD<BadRecord> bad = parsed.filter(r -> !r.isOk()).map(ParseResult::bad);
    bad.map(BadRecord::reason).countByValue().forEach((r, n) -> counts.put(r.name(), n));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    List<BadRecord> first = total == 0 ? List.of() : bad.takeOrdered(BAD_EXAMPLES_KEPT, new ByPosition());
    return new BadRecordTally(counts, total, first);
  }

  /** Fails on the first bad record (naming its file, line and field) unless bad records are to be skipped. */
  void refuseUnlessSkipped(boolean skipBadRecords) {
    if (total > 0 && !skipBadRecords) {
      throw new DataException(first.get(0).describe() + (total > 1 ? " (and " + (total - 1)
          + " more bad records; set data.on_bad_record=skip to skip and count them)" : ""));
    }
  }

  /** Orders bad records by file then line, so the reported first error does not depend on timing. */
  static final class ByPosition implements Comparator<BadRecord>, Serializable {
    @Override
    public int compare(BadRecord a, BadRecord b) {
      int c = a.file().compareTo(b.file());
      return c != 0 ? c : Long.compare(a.line(), b.line());
    }
  }
}
