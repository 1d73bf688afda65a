package io.fedit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SPARK_HOME that holds what a Spark distribution ships and nothing of this project: jars/ are the
 * dependency trees of spark-core and spark-sql resolved on their own ({@code src/test/spark-dist/pom.xml},
 * copied to target/spark-dist/jars by jobs/test), and bin/spark-submit lets Spark's launcher build the
 * driver's command line, as the distribution's script does. The application must bring everything else in
 * its own jar (the shaded {@code -Pcluster} jar), as on a real cluster.
 */
public final class SparkDistribution {
  private SparkDistribution() {}

  /** The shaded application jar users submit (target/fedit-spark-*-cluster.jar, built by jobs/test). */
  public static Path clusterJar() throws IOException {
    try (Stream<Path> s = Files.list(TestPaths.root().resolve("target"))) {
      return s.filter(p -> p.getFileName().toString().matches("fedit-spark-.*-cluster\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no target/fedit-spark-*-cluster.jar: build it first with "
              + "`mvn -Pcluster -DskipTests package` (jobs/test does)"));
    }
  }

  /** A fresh SPARK_HOME (temporary folder) with jars/, RELEASE and bin/spark-submit. */
  public static Path home() throws IOException {
    Path dist = TestPaths.root().resolve("target/spark-dist/jars");
    if (!Files.isDirectory(dist)) {
      throw new IllegalStateException("no " + dist + ": fill it first with `mvn -f src/test/spark-dist/pom.xml "
          + "dependency:copy-dependencies` (jobs/test does)");
    }
    Path home = Files.createTempDirectory("fedit-spark-dist");
    Files.createFile(home.resolve("RELEASE"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    try (Stream<Path> s = Files.list(dist)) {
      for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
      }
    }
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    // What the distribution's bin/spark-class does: the launcher prints messages line by line, then a NUL
    // line, then the driver's command NUL-separated, then (from this script) its own exit status.
    Files.write(submit, List.of(
        "#!/usr/bin/env bash",
        "export SPARK_SCALA_VERSION=\"${SPARK_SCALA_VERSION:-2.13}\"  # as bin/load-spark-env.sh sets it",
        "build_command() {",
        "  \"$JAVA_HOME/bin/java\" -Xmx128m -cp \"$SPARK_HOME/jars/*\" org.apache.spark.launcher.Main \"$@\"",
        "  printf '%d\\0' $?",
        "}",
        "CMD=(); DELIM=$'\\n'; STARTED=false",
        "while IFS= read -d \"$DELIM\" -r ARG; do",
        "  if [ \"$STARTED\" = true ]; then CMD+=(\"$ARG\")",
        "  elif [ \"$ARG\" = $'\\0' ]; then DELIM=''; STARTED=true",
        "  elif [ -n \"$ARG\" ]; then echo \"$ARG\"; fi",
        "done < <(build_command org.apache.spark.deploy.SparkSubmit \"$@\")",
        "[ ${#CMD[@]} -gt 0 ] || exit 1",
        "LAST=$((${#CMD[@]} - 1))",
        "[ \"${CMD[$LAST]}\" = 0 ] || exit \"${CMD[$LAST]}\"",
        "exec \"${CMD[@]:0:$LAST}\""));
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
