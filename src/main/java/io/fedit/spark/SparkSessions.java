package io.fedit.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds the project's SparkSession. It never sets the master: spark-submit, the
 * local launcher (-Dspark.master=local[*]) or a test decides where it runs.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    return configure(SparkSession.builder().appName(appName)).getOrCreate();
  }

  /** Settings every session of the project needs, also applied by tests to their local sessions. */
  public static SparkSession.Builder configure(SparkSession.Builder b) {
    return b
        // Client ids such as "042" from a key column must stay strings when read back.
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false");
  }
}
