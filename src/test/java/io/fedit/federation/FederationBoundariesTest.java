package io.fedit.federation;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The federation package's borders, read from the production sources: only federation (and the config package
 * that defines them) reads federation settings, so a strategy's client-side behaviour is decided by its
 * instructions; and federation's sub-packages import only lower floors, so the split has no cycles.
 */
class FederationBoundariesTest {
  private static final Path MAIN = TestPaths.root().resolve("src/main/java");
  private static final Path FEDERATION = MAIN.resolve("io/fedit/federation");
  /** Federation's floors, lowest first; the root package ("") is below all. */
  private static final List<String> FLOORS = List.of("", "update", "plan", "sampling", "validation", "attack",
      "aggregation", "server", "privacy", "strategy");
  /** A use of a federation class by its qualified name, in an import or in code: group 1 its sub-package. */
  private static final Pattern FEDERATION_CLASS = Pattern.compile("\\bio\\.fedit\\.federation\\.(?:([a-z]+)\\.)?[A-Z]");

  @Test
  void noProductionClassOutsideFederationAndConfigReadsFederationSettings() {
    List<String> readers = new ArrayList<>();
    for (Path f : javaFiles(MAIN)) {
      if (f.startsWith(FEDERATION) || f.startsWith(MAIN.resolve("io/fedit/config"))) continue;
      String code = code(f);
      if (code.contains(".federation()") || code.matches("(?s).*\\bFederationSection\\b.*")) {
        readers.add(MAIN.relativize(f).toString());
      }
    }
    assertEquals(List.of(), readers, "read federation settings outside io.fedit.federation: pass them through "
        + "Strategies (client instructions) or RoundRules instead");
  }

  @Test
  void federationSubPackagesImportOnlyLowerFloors() {
    List<String> upward = new ArrayList<>();
    for (Path f : javaFiles(FEDERATION)) {
      String own = FEDERATION.relativize(f.getParent()).toString();
      int floor = FLOORS.indexOf(own);
      assertTrue(floor >= 0, "federation sub-package " + own + " has no floor in " + FLOORS + " (" + f + ")");
      Matcher m = FEDERATION_CLASS.matcher(code(f));
      while (m.find()) {
        String imported = m.group(1) == null ? "" : m.group(1);
        if (FLOORS.indexOf(imported) > floor) upward.add(FEDERATION.relativize(f) + " uses federation." + imported);
      }
    }
    assertEquals(List.of(), upward, "federation floors, lowest first: " + FLOORS);
  }

  /** The file without comments and string literals (what the compiler reads). */
  private static String code(Path f) {
    try {
      String s = Files.readString(f);
      s = s.replaceAll("(?s)/\\*.*?\\*/", "");
      s = s.replaceAll("//[^\\n]*", "");
      return s.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path dir) {
    assertTrue(Files.isDirectory(dir), dir + " is not a directory (run from the repository root)");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
