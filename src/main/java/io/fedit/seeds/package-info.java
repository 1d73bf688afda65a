/**
 * Where every random choice of a run comes from: the seed derivations ({@link io.fedit.seeds.Seeds}), the
 * generators built from them, and the seeded shuffles ({@link io.fedit.seeds.Shuffles}). The lowest floor of
 * the project: it imports nothing but the JDK, so any package may use it.
 *
 * <p>Why a package of its own: a run is reproducible only while every stream is a pure function of
 * {@code run.seed} and where the choice is made, and a resumed run is bit-identical only while no
 * derivation ever changes. Keeping them side by side makes both visible, and a test pins their values.
 * (It is not part of {@code io.fedit.fs}: it has nothing to do with files.)
 */
package io.fedit.seeds;
