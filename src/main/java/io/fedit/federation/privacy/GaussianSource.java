package io.fedit.federation.privacy;

import java.security.SecureRandom;

/**
 * Standard normal draws for DP noise. Production noise comes from {@link SecureRandom} (never the run seed:
 * noise that anyone with the seed could recompute and subtract protects nothing); tests pass a seeded source.
 */
@FunctionalInterface
public interface GaussianSource {
  double next();

  static GaussianSource secure() {
    SecureRandom r = new SecureRandom();
    return r::nextGaussian;
  }
}
