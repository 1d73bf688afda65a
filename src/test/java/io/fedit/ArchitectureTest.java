package io.fedit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.fedit.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import floors of docs/ARCHITECTURE.md, checked on the compiled production classes: a package imports
 * only packages on lower floors (never its own floor's siblings, never higher). The floors are read from the
 * document itself, so the picture a newcomer reads and the rule the build enforces cannot drift apart.
 */
class ArchitectureTest {
  private static final String ROOT = "io.fedit";
  private static JavaClasses production;
  private static Floors floors;

  @BeforeAll
  static void importProductionClasses() throws IOException {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    floors = Floors.parse(Files.readString(TestPaths.root().resolve("docs/ARCHITECTURE.md")));
  }

  @Test
  void everyProductionPackageHasAFloor() {
    Set<String> packages = new TreeSet<>();
    for (JavaClass c : production) {
      packages.add(Floors.topLevelPackage(ROOT, c.getPackageName()));
    }
    packages.remove("");
    Set<String> missing = new TreeSet<>(packages);
    missing.removeAll(floors.packages());
    assertTrue(missing.isEmpty(), "packages of src/main without a floor in docs/ARCHITECTURE.md: " + missing);
    Set<String> stale = new TreeSet<>(floors.packages());
    stale.removeAll(packages);
    assertTrue(stale.isEmpty(), "docs/ARCHITECTURE.md names floors for packages that do not exist: " + stale);
  }

  @Test
  void noPackageImportsItsOwnFloorOrAHigherOne() {
    floors.rule(ROOT).check(production);
  }

  @Test
  void modelNeverImportsLora() {
    noClasses().that().resideInAPackage(ROOT + ".model..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".lora..")
        .because("the model knows a low-rank delta on a projection, not LoRA")
        .check(production);
  }

  @Test
  void dataNeverImportsModel() {
    noClasses().that().resideInAPackage(ROOT + ".data..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".model..")
        .because("records and their validation come before any model")
        .check(production);
  }

  @Test
  void benchmarkProgramsAreNotProductionClasses() {
    ArchRule rule = noClasses().should().resideInAPackage(ROOT + ".bench..")
        .because("benchmark programs live in their own source set, outside the cluster jar");
    rule.check(production);
  }

  /** The rule must be able to fail: a fixture whose low floor imports its high floor is caught. */
  @Test
  void aPlantedUpwardImportFailsTheFloorRule() {
    String fixtureRoot = ROOT + ".archfixture";
    JavaClasses fixture = new ClassFileImporter().importPackages(fixtureRoot);
    Floors upward = Floors.parse("floor 0: low\nfloor 1: high\n");
    AssertionError error = assertThrows(AssertionError.class, () -> upward.rule(fixtureRoot).check(fixture));
    assertTrue(error.getMessage().contains("archfixture.low.ImportsUpward"), error.getMessage());
    assertTrue(error.getMessage().contains("archfixture.high.Upstairs"), error.getMessage());

    Floors downward = Floors.parse("floor 0: high\nfloor 1: low\n");
    downward.rule(fixtureRoot).check(fixture);
    Floors siblings = Floors.parse("floor 0: high low\n");
    assertThrows(AssertionError.class, () -> siblings.rule(fixtureRoot).check(fixture));
  }

  @Test
  void floorsAreParsedInOrder() {
    Floors parsed = Floors.parse("text\nfloor 0: a b\nfloor 1: c\n```\nfloor 2: d\n");
    assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of("d")), parsed.levels());
    assertFalse(parsed.packages().contains("text"));
  }
}
