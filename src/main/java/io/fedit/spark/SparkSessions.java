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
        .config("spark.ui.showConsoleProgress", "false")
        .config(UMASK, umaskForHadoop());
  }

  private static final String UMASK = "spark.hadoop." + ProcessUmask.HADOOP_KEY;

  /**
   * Files the run writes (driver and executors) never get more permissions than the user's umask allows.
   * Also set as a system property: Spark builds some Hadoop configurations from system properties alone,
   * and the first one to open the local filesystem is the one its cached instance keeps.
   */
  private static synchronized String umaskForHadoop() {
    String mask = System.getProperty(UMASK);
    if (mask == null) {
      mask = ProcessUmask.forHadoop(new org.apache.hadoop.conf.Configuration());
      System.setProperty(UMASK, mask);
    }
    return mask;
  }
}
