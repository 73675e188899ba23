package org.mitmlab.domains;

import java.util.Objects;

/**
 * One site of the simulated Internet.
 *
 * @param name        the DNS name (normalised)
 * @param role        targeted in 2019 or a control
 * @param service     what the page says it is ("Gmail", "Halyk Bank online banking")
 * @param operator    who runs it in the real world (shown on the page and in the certificate O=)
 * @param genuineKey  key type of the genuine certificate, as the real operator uses
 * @param validation  DV, OV or EV: how much of the operator the genuine subject DN names
 */
public record LabSite(String name, SiteRole role, String service, String operator, String genuineKey, String validation) {
    public LabSite {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(genuineKey, "genuineKey");
        if (!validation.equals("DV") && !validation.equals("OV") && !validation.equals("EV")) {
            throw new IllegalArgumentException("validation must be DV, OV or EV: " + validation);
        }
    }

    public boolean targeted() {
        return role == SiteRole.TARGETED;
    }
}
