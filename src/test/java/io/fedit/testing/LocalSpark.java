package io.fedit.testing;

import io.fedit.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession shared by every test in the JVM (starting one costs seconds). Tests must
 * not stop it; it ends with the JVM.
 */
public final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSessions.configure(SparkSession.builder()
              .master("local[2]")
              .appName("fedit-tests")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.ui.enabled", "false"))
          .getOrCreate();
    }
    return session;
  }
}
