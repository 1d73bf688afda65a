/**
 * DP-FedAvg: the clients' {@link io.fedit.federation.privacy.DeltaClipping}, the server's noised mean
 * ({@link io.fedit.federation.privacy.DpNoisedDelta}) and the privacy accounting
 * ({@link io.fedit.federation.privacy.RdpAccountant}). No file or network I/O; production noise reads the operating
 * system's entropy ({@link io.fedit.federation.privacy.GaussianSource#secure}), never the run seed.
 */
package io.fedit.federation.privacy;
