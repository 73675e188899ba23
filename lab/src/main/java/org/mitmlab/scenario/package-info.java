/**
 * Scenarios: lessons as data ({@code scenarios/*.yaml}), loaded with line-precise errors, and
 * resolved per student from {@code HMAC(instructor secret, student id)}. The embedded and the
 * Docker lab both start from a {@link org.mitmlab.scenario.ResolvedScenario}.
 */
package org.mitmlab.scenario;
