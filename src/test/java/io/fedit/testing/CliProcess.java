package io.fedit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code io.fedit.job.FeditCli} in a fresh JVM (the test classpath, Spark local[2], the Java 17 opens),
 * as a user's process would: its own libtorch, its own SparkContext, nothing shared with the test JVM.
 * The process runs under {@code sh -c "umask U; exec java ..."} so tests can check file permissions.
 */
public final class CliProcess {
  /** Exit status and everything the process printed (stdout and stderr, interleaved). */
  public record Result(int exit, String output) {}

  private CliProcess() {}

  /**
   * @param jvmProps extra -D properties (for example the test-only fault switches)
   * @param umask    octal umask for the process, such as "027"
   */
  public static Result run(Path log, Map<String, String> jvmProps, String umask, List<String> args)
      throws IOException, InterruptedException {
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    java.addAll(StandaloneCluster.jvmOpens());
    java.addAll(List.of("-Xmx1500m", "-Dai.djl.offline=true", "-Dspark.master=local[2]",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.ui.enabled=false"));
    jvmProps.forEach((k, v) -> java.add("-D" + k + "=" + v));
    java.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.fedit.job.FeditCli"));
    java.addAll(args);
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    cmd.addAll(java);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("fedit " + args + " did not finish in 4 minutes:\n" + Files.readString(log));
    }
    System.out.printf("fedit %s in a fresh JVM (%s): exit %d after %.1f s%n", args.get(0), jvmProps, p.exitValue(),
        (System.nanoTime() - t0) / 1e9);
    return new Result(p.exitValue(), Files.readString(log));
  }
}
