package io.fedit.report;

import java.util.Map;

/** Typed access to generic table rows: absent columns and nulls read as null, any number as needed. */
final class Values {
  private Values() {}

  static Double dbl(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (!(v instanceof Number n)) return null;
    double d = n.doubleValue();
    return Double.isFinite(d) ? d : null;
  }

  static Long lng(Map<String, Object> row, String column) {
    Object v = row.get(column);
    return v instanceof Number n ? n.longValue() : null;
  }

  static int integer(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (!(v instanceof Number n)) throw new IllegalArgumentException("column '" + column + "' is missing or null");
    return n.intValue();
  }

  static String str(Map<String, Object> row, String column) {
    Object v = row.get(column);
    return v == null ? null : v.toString();
  }
}
