/**
 * Wires the parts into a running lab. {@link org.mitmlab.lab.EmbeddedLab} starts the national PKI,
 * the simulated public PKI, the simulated Internet and the intercepting proxy in one JVM on
 * loopback, and the dashboard ({@link org.mitmlab.dashboard.DashboardServer}) when the config asks for one; {@link org.mitmlab.lab.StateDir} is the one place that knows the file layout of the
 * state directory that other commands use to find a running lab ({@link org.mitmlab.lab.LabInfo}), or,
 * on a Docker lab machine where no lab process runs, what detect uses there ({@link org.mitmlab.lab.DetectSetup}).
 * Configuration arrives as one validated {@link org.mitmlab.lab.LabConfig}.
 */
package org.mitmlab.lab;
