package io.fedit.archfixture.low;

import io.fedit.archfixture.high.Upstairs;

/** Fixture for ArchitectureTest: a planted violation, a low floor that imports a higher one. */
public final class ImportsUpward {
  public static int reachUp() {
    return Upstairs.floor();
  }
}
