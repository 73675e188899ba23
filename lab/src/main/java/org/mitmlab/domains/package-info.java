/**
 * The names of the lab: the 37 names the 2019 box intercepted ({@code kz2019-domains.txt}, from
 * Censored Planet), the control names that were never touched, and the per-site descriptions the
 * simulated Internet shows.
 *
 * <p>{@link org.mitmlab.domains.DomainCatalogue} answers the two questions every other package
 * asks: "is this name targeted?" and "is this name inside the lab at all?". Matching is exact
 * (after {@link org.mitmlab.domains.HostNames#normalize}): the 2019 list had separate
 * {@code www.} entries and suffix matching was never documented.
 */
package org.mitmlab.domains;
