package io.fedit.archfixture.high;

/** Fixture for ArchitectureTest: the class a planted upward import reaches. */
public final class Upstairs {
  public static int floor() {
    return 1;
  }
}
