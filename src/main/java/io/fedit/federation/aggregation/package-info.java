/**
 * How accepted updates become one: {@link io.fedit.federation.aggregation.DeltaAggregator} and its rules (the
 * example-weighted mean, coordinate-wise median and trimmed mean, norm bounding, Krum), FedAvg's
 * {@link io.fedit.federation.aggregation.WeightedAverage}, {@link io.fedit.federation.aggregation.AggregationGuard}
 * (no usable update: the adapter stays) and {@link io.fedit.federation.aggregation.AggregationResult}. Pure: no I/O.
 */
package io.fedit.federation.aggregation;
