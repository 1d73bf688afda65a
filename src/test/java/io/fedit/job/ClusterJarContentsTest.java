package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.testing.SparkDistribution;
import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar users submit (target/fedit-spark-*-cluster.jar, built by jobs/test) holds the product only:
 * no benchmark program (src/bench/java, compiled to target/bench-classes), no test class, and in particular no
 * implementation of the fault seam or the ServiceLoader entry that would install one.
 */
@Tag("slow")
class ClusterJarContentsTest {
  @Test
  void theClusterJarHoldsNoBenchmarkTestOrFaultClasses() throws IOException {
    Set<String> entries;
    try (JarFile jar = new JarFile(SparkDistribution.clusterJar().toFile())) {
      entries = jar.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
    }
    assertTrue(entries.contains("io/fedit/job/FeditCli.class"), "the jar holds the product");
    assertTrue(entries.contains("io/fedit/fault/FaultPoints.class"), "and the seam's no-op side");

    List<String> named = entries.stream()
        .filter(e -> e.startsWith("io/fedit/bench/") || e.startsWith("io/fedit/testing/")
            || e.endsWith("/AggregationProbe.class") || e.equals("META-INF/services/io.fedit.fault.FaultPoints"))
        .toList();
    assertEquals(List.of(), named, "benchmark, probe or test-fault entries in the cluster jar");

    Set<String> notProduct = new TreeSet<>(classesUnder(TestPaths.root().resolve("target/bench-classes")));
    notProduct.addAll(classesUnder(TestPaths.root().resolve("target/test-classes")));
    assertTrue(notProduct.contains("io/fedit/round/AggregationProbe.class"), "the bench classes were found");
    notProduct.retainAll(entries);
    assertEquals(Set.of(), notProduct, "classes of src/bench/java or src/test/java in the cluster jar");
  }

  /** Every .class file under {@code dir}, as a jar entry name (io/fedit/.../X.class). */
  private static Set<String> classesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IllegalStateException("no " + dir + ": compile first (mvn test-compile)");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".class"))
          .map(p -> dir.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
    }
  }
}
