package io.fedit.config;

/**
 * Identity of a run: its name (the run directory, {@code <output.dir>/<run.name>}) and the seed every random
 * choice derives from.
 */
public record RunSection(String name, long seed) implements java.io.Serializable {
  /**
   * A run name is one path segment that stays inside output.dir: letters,
   * digits, '.', '_' and '-', not starting with '.': that rules out "." (output.dir itself), ".." (the folder
   * above it) and hidden names; '/', '\' and control characters are not in the set.
   */
  private static final String ALLOWED = "[A-Za-z0-9_-][A-Za-z0-9._-]*";

  public RunSection {
    Require.nonBlank("run.name", name);
    if (!name.matches(ALLOWED)) {
      throw new IllegalArgumentException("run.name must be one folder name of letters, digits, '.', '_' and '-' "
          + "not starting with '.' (the run is <output.dir>/<run.name>), got '" + printable(name) + "'");
    }
  }

  /** The name with control characters written as {@code \\uXXXX}, so the message cannot garble a terminal. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) out.append(String.format("\\u%04x", c));
      else out.appendCodePoint(c);
    });
    return out.toString();
  }
}
