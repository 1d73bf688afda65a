/**
 * What clients send and the arithmetic the server does over it: {@link io.fedit.federation.update.ClientUpdate}
 * (adapter, example count, metrics, clipping norm, SCAFFOLD variate) and
 * {@link io.fedit.federation.update.ClientFailure}; {@link io.fedit.federation.update.UpdateSet}, a round's accepted
 * updates wherever their tensors are, reduced by a coordinate-wise {@link io.fedit.federation.update.CoordinateRule};
 * {@link io.fedit.federation.update.PairwiseDistances} and {@link io.fedit.federation.update.AdapterMath} (element-wise
 * adapter arithmetic). The lowest floor of federation. Pure: no I/O, no Spark, no DJL.
 */
package io.fedit.federation.update;
