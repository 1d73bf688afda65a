package io.fedit.config;

/** Where runs are written: a local path or any Hadoop filesystem URI. */
public record OutputSection(String dir) implements java.io.Serializable {
  public OutputSection {
    Require.nonBlank("output.dir", dir);
  }
}
