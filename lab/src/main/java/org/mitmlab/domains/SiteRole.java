package org.mitmlab.domains;

/** Why a name is in the lab. */
public enum SiteRole {
    /** On the 2019 list: the box forged a certificate whenever it saw this SNI. */
    TARGETED,
    /** Hosted by the simulated Internet but never intercepted: the genuine baseline. */
    CONTROL
}
