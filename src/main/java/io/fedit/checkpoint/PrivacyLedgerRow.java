package io.fedit.checkpoint;

/**
 * One row of the privacy ledger ({@code privacy/ledger}): what round r spent, committed with the round.
 *
 * @param q              the sampling rate the accountant used: clients sampled / population
 * @param noiseMultiplier sigma (noise std on the sum of clipped deltas is sigma · clipNorm)
 * @param clipNorm       C
 * @param epsilonSpent   epsilon of all committed rounds up to and including this one, at {@code delta}
 * @param clientsClipped accepted clients whose delta the executor had to scale down to C
 * @param clippedShare   clientsClipped / clientsAccepted
 */
public record PrivacyLedgerRow(
    int round, double q, double noiseMultiplier, double clipNorm, double delta, double epsilonSpent,
    int clientsSampled, int clientsAccepted, int clientsClipped, double clippedShare) {}
