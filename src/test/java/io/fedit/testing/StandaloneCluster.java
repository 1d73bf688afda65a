package io.fedit.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback, built from the Maven jars: a Master and a Worker in their
 * own JVMs, and executors the Worker starts as further JVMs. By default SPARK_HOME is a temporary folder
 * with an empty RELEASE file and jars/ linking every jar of the test classpath plus the project's classes;
 * {@link SparkDistribution} makes one that holds only what a Spark distribution ships.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path home;
  private final Process master;
  private final Process worker;
  private final int port;
  private final int masterUi;
  private final Path appJar;
  private final List<String> daemonProps;

  public StandaloneCluster(int workerCores, String workerMemory) throws Exception {
    this(testClasspathHome(), workerCores, workerMemory, List.of());
  }

  /**
   * A cluster on a prepared SPARK_HOME (RELEASE, jars/): for example {@link SparkDistribution}'s, which holds
   * only what a Spark distribution ships. {@code daemonProps} are -D settings of the master and the worker
   * (such as spark.authenticate and its secret).
   */
  public StandaloneCluster(Path home, int workerCores, String workerMemory, List<String> daemonProps) throws Exception {
    this.home = home;
    this.daemonProps = List.copyOf(daemonProps);
    Path appJarHere = home.resolve("jars/fedit-app.jar");
    appJar = Files.exists(appJarHere) ? appJarHere : null;
    port = freePort();
    masterUi = freePort();
    master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(masterUi));
    worker = start("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
        String.valueOf(workerCores), "--memory", workerMemory, "--webui-port", String.valueOf(freePort()), masterUrl());
    waitForWorker();
  }

  /** SPARK_HOME with jars/ linking every jar of the test classpath plus the project's classes as fedit-app.jar. */
  private static Path testClasspathHome() throws IOException {
    Path home = Files.createTempDirectory("fedit-spark-home");
    Files.createFile(home.resolve("RELEASE"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.exists(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
      }
    }
    jarOf(TestPaths.root().resolve("target/classes"), jars.resolve("fedit-app.jar"));
    return home;
  }

  public int masterPort() {
    return port;
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  public Path appJar() {
    return appJar;
  }

  public Path home() {
    return home;
  }

  /**
   * Adds test classes to SPARK_HOME/jars as one jar: the classpath of drivers and executors started from
   * now on (test-only plug-ins such as a Hadoop FileSystem for a custom scheme).
   */
  public void addTestClasses(String jarName, Class<?>... classes) throws IOException {
    Path testClasses = TestPaths.root().resolve("target/test-classes");
    try (OutputStream out = Files.newOutputStream(home.resolve("jars").resolve(jarName));
         JarOutputStream j = new JarOutputStream(out)) {
      for (Class<?> c : classes) {
        String entry = c.getName().replace('.', '/') + ".class";
        j.putNextEntry(new java.util.jar.JarEntry(entry));
        j.write(Files.readAllBytes(testClasses.resolve(entry)));
        j.closeEntry();
      }
    }
  }

  /** The JVM flags Spark needs on Java 17, from conf/java17-opens.txt. */
  public static List<String> jvmOpens() throws IOException {
    return Files.readAllLines(TestPaths.root().resolve("conf/java17-opens.txt")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** Runs {@code spark-submit} (SparkSubmit from the jars) in client mode against this cluster. */
  public Process submit(Path log, List<String> sparkConf, String mainClass, String... appArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin()));
    cmd.addAll(jvmOpens());
    cmd.addAll(List.of("-Dai.djl.offline=true", "-Xmx3g", "-cp", home.resolve("jars") + "/*",
        "org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(), "--class", mainClass,
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", jvmOpens()) + " -Dai.djl.offline=true",
        "--conf", "spark.executorEnv.DJL_OFFLINE=true",
        "--conf", "spark.ui.enabled=false"));
    for (String c : sparkConf) {
      cmd.add("--conf");
      cmd.add(c);
    }
    cmd.add(appJar.toString());
    cmd.addAll(List.of(appArgs));
    return process(cmd, log);
  }

  private Process start(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin()));
    cmd.addAll(jvmOpens());
    cmd.addAll(daemonProps);
    cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    return process(cmd, home.resolve(name + ".log"));
  }

  private Process process(List<String> cmd, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_WORKER_DIR", home.resolve("work").toString());
    pb.environment().put("DJL_OFFLINE", "true");
    return pb.start();
  }

  private void waitForWorker() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      // The master's web UI lists alive workers as JSON (its log is at WARN: the project's log4j2 config).
      try {
        var conn = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + masterUi + "/json/").openConnection();
        conn.setConnectTimeout(1000);
        conn.setReadTimeout(1000);
        String json = new String(conn.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (json.matches("(?s).*\"aliveworkers\"\\s*:\\s*[1-9].*")) return;
      } catch (IOException notYet) {
        // the master is still starting
      }
      if (!master.isAlive() || !worker.isAlive()) break;
      Thread.sleep(200);
    }
    throw new IllegalStateException("standalone worker did not register; master log:\n"
        + Files.readString(home.resolve("master.log")) + "\nworker log:\n" + Files.readString(home.resolve("worker.log")));
  }

  /** The logs of the executors the worker started (for failure messages). */
  public String executorLogs() throws IOException {
    StringBuilder sb = new StringBuilder();
    Path work = home.resolve("work");
    if (!Files.exists(work)) return "";
    try (Stream<Path> s = Files.walk(work)) {
      for (Path p : s.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        String text = Files.readString(p);
        sb.append("== ").append(p).append('\n').append(text, Math.max(0, text.length() - 4000), text.length());
      }
    }
    return sb.toString();
  }

  /** How many executor JVMs the worker started so far. */
  public long executorsStarted() throws IOException {
    Path work = home.resolve("work");
    if (!Files.exists(work)) return 0;
    try (Stream<Path> s = Files.walk(work, 2)) {
      return s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().startsWith("app-")).count();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void jarOf(Path classes, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
  }

  @Override
  public void close() {
    worker.destroy();
    master.destroy();
    try {
      worker.waitFor(10, TimeUnit.SECONDS);
      master.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.destroyForcibly();
    master.destroyForcibly();
  }
}
