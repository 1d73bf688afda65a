package io.fedit.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.fs.HadoopPaths;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writes {@code <run>/report.html} ({@link RunLayout#reportFile}): one self-contained page (ECharts and the data inlined, no network
 * needed) built from whatever tables the run has so far. The page is written under a hidden temporary
 * name and renamed over the previous report, so a reader never sees half a page.
 */
public final class RunReport {
  private RunReport() {}

  /** As {@link #write(SparkSession, String, String, String)} without a run eval split (heldout, then dolly_test). */
  public static String write(SparkSession spark, String runName, String runDir) throws IOException {
    return write(spark, runName, runDir, null);
  }

  /**
   * Builds and writes the report of {@code runDir}; returns its path. {@code evalSplit} (the run's
   * eval.split, may be null) is the split the best round is chosen on, as the train console does.
   */
  public static String write(SparkSession spark, String runName, String runDir, String evalSplit) throws IOException {
    return write(spark, runName, runDir, evalSplit, null, null);
  }

  /**
   * The report of an experiment's FedIT arm: the run in {@code runDir}, its baselines from the
   * experiment's results table {@code resultsDir}, only the rows of {@code seed} (the arms trained with
   * the same seed) when it is not null.
   */
  public static String write(SparkSession spark, String runName, String runDir, String evalSplit, String resultsDir,
      Long seed) throws IOException {
    ObjectNode data = ReportData.collect(new RunTables(spark.sparkContext().hadoopConfiguration(), runDir, resultsDir),
        runName, runDir, evalSplit, seed);
    byte[] html = ReportPage.render(runName, data).getBytes(StandardCharsets.UTF_8);
    FileSystem fs = HadoopPaths.fs(runDir, spark.sparkContext().hadoopConfiguration());
    Path target = RunLayout.of(runDir).reportFile();
    Publish.bytes(fs, target, Publish.IfExists.REPLACE, html);
    return target.toString();
  }

  /** The JSON block embedded in a report page (for tests and tools that read reports back). */
  public static String embeddedData(String html) {
    int start = html.indexOf(ReportPage.DATA_OPEN);
    if (start < 0) throw new IllegalArgumentException("no fedit report data block in the page");
    start += ReportPage.DATA_OPEN.length();
    int end = html.indexOf("</script>", start);
    return html.substring(start, end);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = RunReport.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("resource " + name + " is missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
