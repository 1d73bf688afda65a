package io.fedit.config;

/** Identity of a run: its name (the run directory) and the seed every random choice derives from. */
public record RunSection(String name, long seed) implements java.io.Serializable {
  public RunSection {
    Require.nonBlank("run.name", name);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "run.name must use only letters, digits, '.', '_' and '-', got '" + name + "'");
    }
  }
}
