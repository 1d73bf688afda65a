package io.fedit.report;

/** How the report writes numbers the tables store as null for NaN: NaN and infinities become JSON null. */
final class Values {
  private Values() {}

  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
