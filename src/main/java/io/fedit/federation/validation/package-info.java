/**
 * Which updates the server accepts: {@link io.fedit.federation.validation.UpdateValidator} (this round, one update
 * per client, example count, layout, finite values, optional norm bound); a rejection is an ordinary result with a
 * reason. Pure: no I/O.
 */
package io.fedit.federation.validation;
