package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.testing.TestPaths;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit code a scheduler sees comes from the {@code jobs/fedit} process itself (issue 11 §5): bad input
 * exits 3 with one line on stderr, a usage error 2. Runs the script with this build's classpath
 * (FEDIT_CLASSPATH), so it does not rebuild the project.
 */
@Tag("slow") // starts jobs/fedit as a process; jobs/test --fast leaves it out
class JobsFeditScriptTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run fedit(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = TestPaths.root().resolve("jobs/fedit").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    // Surefire's own classpath, minus test classes: what the script would build itself.
    String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    pb.environment().put("FEDIT_CLASSPATH", cp);
    pb.environment().put("FEDIT_DRIVER_MEMORY", "512m");
    pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jobs/fedit finished");
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  @Test
  void badModelExits3AndBadSettingExits2FromTheScript() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    try (Stream<Path> files = Files.list(TestPaths.tinyModel())) {
      for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
    }
    byte[] st = Files.readAllBytes(model.resolve("model.safetensors"));
    Files.write(model.resolve("model.safetensors"), Arrays.copyOf(st, 100));

    Run bad = fedit("generate", "--model", model.toString(), "--max-new-tokens", "2");
    assertEquals(ExitCodes.BAD_DATA, bad.code(), bad.err());
    String line = bad.err().lines().filter(l -> l.startsWith("fedit:")).findFirst().orElse("");
    assertTrue(line.contains("model.safetensors is truncated"), bad.err());
    assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
    assertEquals("", bad.out());

    Run usage = fedit("round", "--round", "0");
    assertEquals(ExitCodes.USAGE, usage.code(), usage.err());
    assertTrue(usage.err().contains("--round must be a round number >= 1, got 0"), usage.err());
  }
}
