/**
 * Which clients train in a round: {@link io.fedit.federation.sampling.ClientSampler}, a pure function of (run seed,
 * round, population) with over-selection's extra draws. Pure: no I/O, no global random state.
 */
package io.fedit.federation.sampling;
