package io.fedit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The import floors as docs/ARCHITECTURE.md states them, one line per floor, lowest first:
 * {@code floor 0: config safetensors spark}. A package may import packages on lower floors only; packages
 * on the same floor are independent of each other.
 */
record Floors(List<List<String>> levels) {
  private static final Pattern FLOOR_LINE = Pattern.compile("^floor (\\d+): ([a-z][a-z0-9 ]*)$", Pattern.MULTILINE);

  static Floors parse(String document) {
    List<List<String>> levels = new ArrayList<>();
    Matcher m = FLOOR_LINE.matcher(document);
    while (m.find()) {
      int level = Integer.parseInt(m.group(1));
      if (level != levels.size()) {
        throw new IllegalArgumentException("floor " + level + " is out of order: expected floor " + levels.size());
      }
      levels.add(List.of(m.group(2).trim().split(" +")));
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("no 'floor N: packages' lines found");
    }
    return new Floors(List.copyOf(levels));
  }

  Set<String> packages() {
    Set<String> all = new LinkedHashSet<>();
    levels.forEach(all::addAll);
    return all;
  }

  /** The floor of a top-level package, or -1 when the document gives it none. */
  int floorOf(String pkg) {
    for (int level = 0; level < levels.size(); level++) {
      if (levels.get(level).contains(pkg)) {
        return level;
      }
    }
    return -1;
  }

  /**
   * Every class under root: each dependency on another top-level package under root must point to a lower
   * floor. A violation reads "io.fedit.model.Generator (model, floor 1) -> io.fedit.lora.LoraAdapter (lora,
   * floor 2): Method <...> calls method <...> in (Generator.java:40)".
   */
  ArchRule rule(String root) {
    ArchCondition<JavaClass> importsOnlyLowerFloors =
        new ArchCondition<>("import only packages on lower floors (docs/ARCHITECTURE.md)") {
          @Override
          public void check(JavaClass source, ConditionEvents events) {
            String from = topLevelPackage(root, source.getPackageName());
            int fromFloor = floorOf(from);
            if (fromFloor < 0) {
              return; // a package without a floor: ArchitectureTest.everyProductionPackageHasAFloor names it
            }
            for (Dependency d : source.getDirectDependenciesFromSelf()) {
              JavaClass target = d.getTargetClass();
              if (!target.getPackageName().startsWith(root + ".")) {
                continue;
              }
              String to = topLevelPackage(root, target.getPackageName());
              int toFloor = floorOf(to);
              if (!to.equals(from) && toFloor >= fromFloor) {
                events.add(SimpleConditionEvent.violated(d, String.format("%s (%s, floor %d) -> %s (%s, floor %d): %s",
                    source.getName(), from, fromFloor, target.getName(), to, toFloor, d.getDescription())));
              }
            }
          }
        };
    return classes().that().resideInAPackage(root + "..").should(importsOnlyLowerFloors);
  }

  /** "io.fedit.federation.privacy" → "federation"; the root package itself → "". */
  static String topLevelPackage(String root, String packageName) {
    if (packageName.equals(root)) {
      return "";
    }
    String rest = packageName.substring(root.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
