package io.fedit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Publishing (temporary, then rename), Parquet writer setup and random streams each have one home, so that
 * their guarantees (atomic visibility, byte-reproducible files, seeds that never change) hold everywhere: the
 * production sources may not do these things by hand outside {@code io.fedit.fs} and {@code io.fedit.seeds}.
 * Benchmark programs ({@code io.fedit.bench}, on their way out of src/main) are not production code.
 */
class OneHomeForSharedMechanicsTest {
  private static final Path MAIN = Path.of("src/main/java/io/fedit");

  @Test
  void onlyFsRenamesFiles() {
    assertNoneOutside("fs", Pattern.compile("(?<!Publish)\\.rename\\("));
  }

  @Test
  void onlyFsSetsUpParquetWriters() {
    assertNoneOutside("fs", Pattern.compile("\\b(ExampleParquetWriter|ParquetFileWriter|AvroParquetWriter)\\b"));
  }

  @Test
  void onlySeedsMakesRandomStreamsOrMixesSeeds() {
    assertNoneOutside("seeds", Pattern.compile("\\bnew\\s+(java\\.util\\.)?(Random|SplittableRandom)\\s*\\(|Collections\\.shuffle\\("
        + "|ThreadLocalRandom|Math\\.random\\(|(?i:0x9e3779b97f4a7c15)"));
  }

  private static void assertNoneOutside(String home, Pattern pattern) {
    assertTrue(Files.isDirectory(MAIN.resolve(home)), "run from the project root: " + MAIN.resolve(home));
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String pkg = MAIN.relativize(f).getName(0).toString();
        if (pkg.equals(home) || pkg.equals("bench")) continue;
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (pattern.matcher(lines.get(i)).find()) found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(List.of(), found, "belongs in io.fedit." + home);
  }
}
